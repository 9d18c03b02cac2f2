package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/scale/accounts"
)

// ProfileOutput is the response of the profile operations.
type ProfileOutput struct {
	Body Profile
}

// ProfilePatchInput changes the caller's profile; absent fields are kept.
type ProfilePatchInput struct {
	Body struct {
		DisplayName *string `json:"display_name,omitempty" maxLength:"100" doc:"How the user is addressed." example:"Ada Lovelace"`
		Currency    *string `json:"currency,omitempty" minLength:"3" maxLength:"3" doc:"Display currency, ISO 4217." example:"EUR"`
		TimeZone    *string `json:"time_zone,omitempty" maxLength:"64" doc:"IANA time zone name." example:"Europe/Berlin"`
		Locale      *string `json:"locale,omitempty" maxLength:"35" doc:"BCP 47 language tag." example:"de-DE"`
	}
}

func (h *handlers) registerProfile(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "get-profile", Method: http.MethodGet, Path: "/profile",
		Summary: "Get the caller's profile", Tags: []string{"Profile"},
		Description: "Returns the caller's preferences; a user who never saved any gets the defaults.",
		Errors:      []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*ProfileOutput, error) {
		p, err := h.s.Accounts.Profile(ctx, userOf(ctx))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &ProfileOutput{Body: profileOut(p)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "update-profile", Method: http.MethodPatch, Path: "/profile",
		Summary: "Change the caller's profile", Tags: []string{"Profile"},
		Description: "Changes the fields present in the body; every invalid field is listed in the 422 problem.",
		Errors:      []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *ProfilePatchInput) (*ProfileOutput, error) {
		p, err := h.s.Accounts.UpdateProfile(ctx, userOf(ctx), accounts.ProfilePatch{
			DisplayName: in.Body.DisplayName, Currency: in.Body.Currency, TimeZone: in.Body.TimeZone, Locale: in.Body.Locale,
		})
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &ProfileOutput{Body: profileOut(p)}, nil
	})
}
