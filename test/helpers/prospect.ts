/** The prospect tests start conversations for. */
import type { Prospect } from '../../workflows/messages';

/**
 * A prospect with the given id: Jordan Lee, VP Revenue Operations at Buyer Co, at an address unique to the id
 * (on `buyer.example`, a domain no roster fixture assigns to an account owner). `overrides` replace fields.
 */
export function prospect(id: string, overrides: Partial<Prospect> = {}): Prospect {
  return {
    id,
    name: 'Jordan Lee',
    email: `jordan.${id}@buyer.example`,
    company: 'Buyer Co',
    title: 'VP Revenue Operations',
    profile: { employees: 800, industry: 'software' },
    ...overrides,
  };
}
