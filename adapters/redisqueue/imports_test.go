package redisqueue

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportRule enforces the dependency rule: the adapter imports the
// standard library, scale, ports, asynq and go-redis, and no other adapter.
func TestImportRule(t *testing.T) {
	allowed := map[string]bool{
		"github.com/scalehq/scale/scale": true,
		"github.com/scalehq/scale/ports": true,
		"github.com/hibiken/asynq":       true,
		"github.com/redis/go-redis/v9":   true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.Split(path, "/")[0], ".") && !allowed[path] {
				t.Errorf("%s imports %s, which the dependency rule forbids", name, path)
			}
		}
	}
}
