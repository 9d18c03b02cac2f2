package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
)

// AccountOutput is one account.
type AccountOutput struct {
	Body Account
}

// AccountListOutput lists the caller's accounts.
type AccountListOutput struct {
	Body struct {
		Items []Account `json:"items" doc:"The caller's accounts, oldest first."`
	}
}

// CreateAccountInput opens an account.
type CreateAccountInput struct {
	Body struct {
		Name        string `json:"name" minLength:"1" maxLength:"100" doc:"The account's name." example:"Main checking"`
		Kind        string `json:"kind,omitempty" enum:"checking,savings,credit_card,cash,loan,other" default:"checking" doc:"What sort of account it is." example:"checking"`
		Currency    string `json:"currency,omitempty" minLength:"3" maxLength:"3" doc:"ISO 4217 currency; the profile's when absent." example:"EUR"`
		Institution string `json:"institution,omitempty" maxLength:"100" doc:"The bank." example:"N26"`
	}
}

// AccountIDInput names an account.
type AccountIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Account id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
}

// UpdateAccountInput renames, closes or reopens an account.
type UpdateAccountInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Account id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Body struct {
		Name        *string `json:"name,omitempty" minLength:"1" maxLength:"100" doc:"New name." example:"Joint checking"`
		Institution *string `json:"institution,omitempty" maxLength:"100" doc:"New bank name." example:"N26"`
		Closed      *bool   `json:"closed,omitempty" doc:"true closes the account, false reopens it." example:"true"`
	}
}

func (h *handlers) registerAccounts(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "create-account", Method: http.MethodPost, Path: "/accounts", DefaultStatus: http.StatusCreated,
		Summary: "Open an account", Tags: []string{"Accounts"},
		Description: "Creates a bank account for the caller. Statements are imported into an account.",
		Errors:      []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *CreateAccountInput) (*AccountOutput, error) {
		a, err := h.s.Accounts.CreateAccount(ctx, userOf(ctx), accounts.NewAccount{
			Name: in.Body.Name, Kind: scale.AccountKind(in.Body.Kind), Currency: in.Body.Currency, Institution: in.Body.Institution,
		})
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AccountOutput{Body: accountOut(a)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "list-accounts", Method: http.MethodGet, Path: "/accounts",
		Summary: "List accounts", Tags: []string{"Accounts"},
		Description: "Lists the caller's accounts, open and closed, oldest first.",
		Errors:      []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*AccountListOutput, error) {
		as, err := h.s.Accounts.Accounts(ctx, userOf(ctx))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &AccountListOutput{}
		out.Body.Items = make([]Account, len(as))
		for i, a := range as {
			out.Body.Items[i] = accountOut(a)
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "get-account", Method: http.MethodGet, Path: "/accounts/{id}",
		Summary: "Get an account", Tags: []string{"Accounts"},
		Description: "Returns one of the caller's accounts; another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *AccountIDInput) (*AccountOutput, error) {
		a, err := h.s.Accounts.Account(ctx, userOf(ctx), scale.AccountID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AccountOutput{Body: accountOut(a)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "update-account", Method: http.MethodPatch, Path: "/accounts/{id}",
		Summary: "Rename, close or reopen an account", Tags: []string{"Accounts"},
		Description: "Changes the fields present in the body. A closed account keeps its history and accepts no imports.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *UpdateAccountInput) (*AccountOutput, error) {
		a, err := h.s.Accounts.UpdateAccount(ctx, userOf(ctx), scale.AccountID(in.ID), accounts.AccountPatch{
			Name: in.Body.Name, Institution: in.Body.Institution, Closed: in.Body.Closed,
		})
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AccountOutput{Body: accountOut(a)}, nil
	})
}
