package httpapi

import "github.com/danielgtaylor/huma/v2"

// registerImports adds the operations of statement imports.
func (h *handlers) registerImports(api huma.API) {}
