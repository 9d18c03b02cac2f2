package httpapi

import "github.com/danielgtaylor/huma/v2"

// registerCategorization adds the operations of classification, discovery, categories and rules.
func (h *handlers) registerCategorization(api huma.API) {}
