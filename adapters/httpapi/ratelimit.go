package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/ulule/limiter/v3"

	"github.com/scalehq/scale/scale"
)

// rateLimit limits each authenticated user (or, for public operations, each
// client address) to the limiter's rate. It answers 429 problems with
// Retry-After and RateLimit-* headers. If the limiter's store fails, the
// request is let through and the failure logged: an unavailable Redis must
// not take the API down (ulule/limiter's own middleware would panic).
func (h *handlers) rateLimit(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if h.opts.RateLimiter == nil {
			next(ctx)
			return
		}
		key := "ip:" + ctx.RemoteAddr()
		if p, ok := scale.PrincipalFrom(ctx.Context()); ok {
			key = "user:" + string(p.User)
		}
		lc, err := h.opts.RateLimiter.Get(ctx.Context(), key)
		if err != nil {
			h.log.WarnContext(ctx.Context(), "rate limiter unavailable; request allowed", "err", err)
			next(ctx)
			return
		}
		ctx.SetHeader("RateLimit-Limit", strconv.FormatInt(lc.Limit, 10))
		ctx.SetHeader("RateLimit-Remaining", strconv.FormatInt(lc.Remaining, 10))
		reset := max(0, lc.Reset-time.Now().Unix())
		ctx.SetHeader("RateLimit-Reset", strconv.FormatInt(reset, 10))
		if lc.Reached {
			ctx.SetHeader("Retry-After", strconv.FormatInt(max(1, reset), 10))
			huma.WriteErr(api, ctx, http.StatusTooManyRequests, "Too many requests: retry after "+strconv.FormatInt(max(1, reset), 10)+" seconds.")
			return
		}
		next(ctx)
	}
}

// NewRateLimiter returns a limiter of rate (ulule format: "600-M", "20-S")
// over store.
func NewRateLimiter(rate string, store limiter.Store) (*limiter.Limiter, error) {
	r, err := limiter.NewRateFromFormatted(rate)
	if err != nil {
		return nil, err
	}
	return limiter.New(store, r), nil
}
