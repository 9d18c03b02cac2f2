// Package httpapi is the driving HTTP adapter of Scale: huma v2 operations
// over the scale/sdk facade, all under the versioned group /api/v1, with
// OpenAPI 3.1, RFC 9457 problem responses, bearer authentication and the
// middleware chain (request id, access log, panic recovery, security
// headers, CORS, body limits).
//
// Register is the one entry point for the API operations, so an embedder can
// mount the API on its own router; Handler builds the whole reference
// server handler (API, /health, /ready, /docs) around a ServeMux.
//
// Every error leaves through one funnel (problem.go): a *scale.Error's Kind
// picks the status and its Code the problem's stable type
// (urn:scale:problem:<code>); internal errors are logged and never shown.
package httpapi
