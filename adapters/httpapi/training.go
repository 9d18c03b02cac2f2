package httpapi

import "github.com/danielgtaylor/huma/v2"

// registerTraining adds the operations of training jobs and model versions.
func (h *handlers) registerTraining(api huma.API) {}
