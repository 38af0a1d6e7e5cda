// compose-check validates a Compose file with compose-go, the parser Docker Compose itself uses: schema,
// interpolation, references between services. It prints the normalised project as JSON on success.
//
// Usage: compose-check FILE [KEY=VALUE ...]   (KEY=VALUE entries form the interpolation environment)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check FILE [KEY=VALUE ...]")
		os.Exit(2)
	}
	file, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	content, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	env := map[string]string{}
	for _, kv := range os.Args[2:] {
		key, value, _ := strings.Cut(kv, "=")
		env[key] = value
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(file),
		ConfigFiles: []types.ConfigFile{{Filename: file, Content: content}},
		Environment: env,
	}
	project, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("handoff", true)
		o.SkipResolveEnvironment = true
	})
	if err != nil {
		fail(err)
	}
	out, err := json.Marshal(project)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
