package categorization

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// TestDependencyRule: the domain imports only the standard library, scale
// and ports (tests may also use adapters/memory and is).
func TestDependencyRule(t *testing.T) {
	is := is.New(t)
	files, err := filepath.Glob("*.go")
	is.NoErr(err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		is.NoErr(err)
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		is.NoErr(err)
		for _, imp := range af.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			ok := !strings.Contains(strings.Split(p, "/")[0], ".") ||
				p == "github.com/scalehq/scale/scale" || p == "github.com/scalehq/scale/ports"
			if !ok {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
