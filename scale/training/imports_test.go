package training

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportRule enforces the dependency rule: the package (and its
// internal tests) imports only the standard library, scale and ports.
// Tests that drive adapters live in the external package training_test.
func TestImportRule(t *testing.T) {
	allowed := map[string]bool{
		"github.com/scalehq/scale/scale": true,
		"github.com/scalehq/scale/ports": true,
		"github.com/matryer/is":          true, // internal tests only
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "training" {
			continue // the external test package may use adapters
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !strings.Contains(strings.Split(path, "/")[0], ".") {
				continue // standard library
			}
			if !allowed[path] || path == "github.com/matryer/is" && !strings.HasSuffix(name, "_test.go") {
				t.Errorf("%s imports %s, which the dependency rule forbids", name, path)
			}
		}
	}
}
