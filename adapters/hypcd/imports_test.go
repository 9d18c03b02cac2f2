package hypcd

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// TestDependencyRule: the adapter imports the standard library, scale,
// ports and gomlx only, and never gomlx's default backend (cgo, XLA).
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
				p == "github.com/scalehq/scale/scale" || p == "github.com/scalehq/scale/ports" ||
				strings.HasPrefix(p, "github.com/gomlx/gomlx/")
			if !ok || strings.HasPrefix(p, "github.com/gomlx/gomlx/backends/default") || strings.HasPrefix(p, "github.com/gomlx/gomlx/backends/xla") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
