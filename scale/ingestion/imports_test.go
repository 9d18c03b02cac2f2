package ingestion

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportRule enforces the dependency rule and the decoding exception
// recorded in doc.go: the standard library, package scale, package ports,
// excelize, ofxgo and golang.org/x/text/encoding/... — nothing else.
func TestImportRule(t *testing.T) {
	allowed := []string{
		"github.com/scalehq/scale/scale",
		"github.com/scalehq/scale/ports",
		"github.com/xuri/excelize/v2",
		"github.com/aclindsa/ofxgo",
		"golang.org/x/text/encoding/",
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
			if !strings.Contains(strings.Split(path, "/")[0], ".") {
				continue // standard library
			}
			ok := false
			for _, a := range allowed {
				if path == a || strings.HasSuffix(a, "/") && strings.HasPrefix(path, a) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s, which the dependency rule forbids", name, path)
			}
		}
	}
}
