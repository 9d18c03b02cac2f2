package scale_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/scalehq/scale"

type goPackage struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

// listPackages returns every non-test package of the module with its direct
// imports.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Standard", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []goPackage
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestDependencyRule enforces the hexagon: the core (scale/... and
// ports/...) imports only the standard library and the core itself; domains
// never import each other or adapters; adapters never import each other;
// and go.uber.org/fx appears only in cmd/.
func TestDependencyRule(t *testing.T) {
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		top, _, _ := strings.Cut(rel, "/")
		for _, imp := range p.Imports {
			irel, internal := strings.CutPrefix(imp, module+"/")
			switch {
			case strings.HasPrefix(imp, "go.uber.org/fx") && top != "cmd":
				t.Errorf("%s imports %s: fx is allowed only in cmd/", rel, imp)
			case (top == "scale" || top == "ports") && !isStd(imp) && !internal:
				t.Errorf("%s imports %s: the core imports only the standard library", rel, imp)
			case (top == "scale" || top == "ports") && internal && !strings.HasPrefix(irel, "scale") && !strings.HasPrefix(irel, "ports"):
				t.Errorf("%s imports %s: the core must not import adapters or cmd", rel, imp)
			}
			if !internal {
				continue
			}
			switch {
			case isDomain(rel) && isDomain(irel) && domainOf(rel) != domainOf(irel):
				t.Errorf("%s imports %s: domains cooperate through jobs or interfaces, never imports", rel, irel)
			case top == "adapters" && strings.HasPrefix(irel, "adapters/") && adapterOf(rel) != adapterOf(irel):
				t.Errorf("%s imports %s: adapters never import each other", rel, irel)
			case top == "adapters" && isDomain(irel) && adapterOf(rel) != "httpapi":
				t.Errorf("%s imports %s: driven adapters import only scale and ports", rel, irel)
			case rel == "ports" && strings.HasPrefix(irel, "scale/"):
				t.Errorf("%s imports %s: ports speak only the vocabulary", rel, irel)
			}
		}
	}
}

// isDomain reports whether rel is a domain package (scale/<domain>/...),
// the sdk facade excluded.
func isDomain(rel string) bool {
	parts := strings.Split(rel, "/")
	return len(parts) >= 2 && parts[0] == "scale" && parts[1] != "sdk"
}

func domainOf(rel string) string { return strings.Split(rel, "/")[1] }

func adapterOf(rel string) string {
	parts := strings.Split(rel, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// TestNoPrintOutsideCmd keeps fmt.Print* out of library code: libraries log
// through slog or return errors.
func TestNoPrintOutsideCmd(t *testing.T) {
	cmd := exec.Command("git", "grep", "-n", "-E", `fmt\.Print(ln|f)?\(`, "--", "*.go", ":!cmd/**", ":!examples/**", ":!*_test.go")
	cmd.Dir = ".."
	out, _ := cmd.Output()
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("fmt.Print outside cmd/ and examples/:\n%s", s)
	}
}
