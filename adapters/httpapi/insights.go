package httpapi

import "github.com/danielgtaylor/huma/v2"

// registerInsights adds the operations of recurring streams, forecasts and anomalies.
func (h *handlers) registerInsights(api huma.API) {}
