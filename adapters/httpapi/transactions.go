package httpapi

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
	"github.com/scalehq/scale/scale/ingestion"
)

// TransactionFilter holds the filters shared by the listing and the export.
type TransactionFilter struct {
	From          string   `query:"from" format:"date" doc:"Only transactions booked on or after this date." example:"2026-01-01"`
	To            string   `query:"to" format:"date" doc:"Only transactions booked on or before this date." example:"2026-03-31"`
	MinAmount     string   `query:"min_amount" maxLength:"32" doc:"Smallest signed amount, a decimal string in the major unit of your profile currency." example:"-100.00"`
	MaxAmount     string   `query:"max_amount" maxLength:"32" doc:"Largest signed amount, a decimal string in the major unit of your profile currency." example:"-5.00"`
	Type          string   `query:"type" enum:"credit,debit" doc:"Only credits (money in) or debits (money out)." example:"debit"`
	Category      []string `query:"category,explode" maxItems:"50" doc:"Category ids; repeat the parameter for several (any of them matches)." example:"food"`
	Merchant      string   `query:"merchant" maxLength:"256" doc:"Exact merchant, case-insensitive." example:"Starbucks"`
	AccountID     string   `query:"account_id" maxLength:"64" doc:"Only this account." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Q             string   `query:"q" maxLength:"200" doc:"Text contained in the description or merchant, case-insensitive." example:"coffee"`
	LabelSource   string   `query:"label_source" enum:"rule,correction,import,model" doc:"Only transactions whose category came from this source." example:"model"`
	Uncategorized bool     `query:"uncategorized" doc:"Only transactions no rule, correction or confident prediction placed (with category: either)." example:"false"`
	Sort          string   `query:"sort" enum:"date_desc,date_asc" default:"date_desc" doc:"Order by booking date (then id)." example:"date_desc"`
}

// ListTransactionsInput is a page request.
type ListTransactionsInput struct {
	TransactionFilter
	Cursor string `query:"cursor" maxLength:"200" doc:"The next cursor of the previous page; absent for the first page." example:"YzF8ZHwyMDI2LTAzLTAxfDAxOTBiM2E0LTdjMWUtN2QyYS05ZjNiLTJjNGQ1ZTZmN2E4Yw"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size." example:"50"`
}

// TransactionPage is one page of transactions.
type TransactionPage struct {
	Items []Transaction `json:"items" doc:"The transactions of this page."`
	Next  string        `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page." example:"YzF8ZHwyMDI2LTAzLTAxfDAxOTBiM2E0LTdjMWUtN2QyYS05ZjNiLTJjNGQ1ZTZmN2E4Yw"`
}

// ListTransactionsOutput is a page plus its RFC 8288 Link header.
type ListTransactionsOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page (rel=next)."`
	Body TransactionPage
}

// TransactionIDInput names a transaction.
type TransactionIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Transaction id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
}

// TransactionOutput is one transaction.
type TransactionOutput struct {
	Body Transaction
}

// UpdateTransactionInput edits a transaction.
type UpdateTransactionInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Transaction id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
	Body struct {
		Category *string `json:"category,omitempty" maxLength:"64" doc:"New category id: a correction, remembered for similar transactions and used as training data." example:"food"`
		Merchant *string `json:"merchant,omitempty" maxLength:"256" doc:"New merchant name." example:"Starbucks"`
		Notes    *string `json:"notes,omitempty" maxLength:"2048" doc:"New notes." example:"coffee with Sam"`
	}
}

// ExportTransactionsInput selects what to export.
type ExportTransactionsInput struct {
	TransactionFilter
	Format string `query:"format" enum:"csv" default:"csv" doc:"Export format." example:"csv"`
}

func (h *handlers) registerTransactions(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "list-transactions", Method: http.MethodGet, Path: "/transactions",
		Summary: "List transactions", Tags: []string{"Transactions"},
		Description: "Keyset-paginated listing with combinable filters. Follow `next` (or the `Link` header) " +
			"until it is absent; paging through a changing table neither skips nor repeats a row that existed when " +
			"paging began. Every bad parameter is listed in the 422 problem.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, h.listTransactions)
	register(h, api, huma.Operation{
		OperationID: "export-transactions", Method: http.MethodGet, Path: "/transactions/export",
		Summary: "Export transactions as CSV", Tags: []string{"Transactions"},
		Description: "Streams every transaction matching the filters as CSV (UTF-8, header row). Cells that a " +
			"spreadsheet would run as a formula are prefixed with a single quote.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "CSV file", Content: map[string]*huma.MediaType{
			"text/csv": {Schema: &huma.Schema{Type: "string", Description: "CSV with columns id,date,amount,currency,type,description,merchant,category,label_source,account_id,notes"}},
		}}},
	}, h.exportTransactions)
	register(h, api, huma.Operation{
		OperationID: "get-transaction", Method: http.MethodGet, Path: "/transactions/{id}",
		Summary: "Get a transaction", Tags: []string{"Transactions"},
		Description: "Returns one of the caller's transactions; another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *TransactionIDInput) (*TransactionOutput, error) {
		t, err := h.s.Accounts.Transaction(ctx, userOf(ctx), scale.TransactionID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &TransactionOutput{Body: transactionOut(t)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "update-transaction", Method: http.MethodPatch, Path: "/transactions/{id}",
		Summary: "Correct a transaction", Tags: []string{"Transactions"},
		Description: "Changes the category (a correction with source `correction`), the merchant or the notes.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *UpdateTransactionInput) (*TransactionOutput, error) {
		t, err := h.s.UpdateTransaction(ctx, userOf(ctx), scale.TransactionID(in.ID), accounts.TransactionPatch{
			Merchant: in.Body.Merchant, Notes: in.Body.Notes,
		}, in.Body.Category)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &TransactionOutput{Body: transactionOut(t)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "delete-transaction", Method: http.MethodDelete, Path: "/transactions/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a transaction", Tags: []string{"Transactions"},
		Description: "Deletes one of the caller's transactions.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *TransactionIDInput) (*struct{}, error) {
		if err := h.s.Accounts.DeleteTransaction(ctx, userOf(ctx), scale.TransactionID(in.ID)); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return nil, nil
	})
}

// query turns the filter into a store query, listing every bad field.
func (h *handlers) query(ctx context.Context, f TransactionFilter) (ports.TransactionQuery, error) {
	var q ports.TransactionQuery
	var fs []scale.FieldError
	if f.From != "" {
		d, err := scale.ParseDate(f.From)
		if err != nil {
			fs = append(fs, scale.FieldError{Field: "query.from", Message: "must be a date YYYY-MM-DD"})
		}
		q.From = d
	}
	if f.To != "" {
		d, err := scale.ParseDate(f.To)
		if err != nil {
			fs = append(fs, scale.FieldError{Field: "query.to", Message: "must be a date YYYY-MM-DD"})
		}
		q.To = d
	}
	if f.MinAmount != "" || f.MaxAmount != "" {
		p, err := h.s.Accounts.Profile(ctx, userOf(ctx))
		if err != nil {
			return q, err
		}
		digits := p.Currency.MinorDigits()
		for _, b := range []struct {
			name, v string
			dst     **int64
		}{{"query.min_amount", f.MinAmount, &q.MinAmount}, {"query.max_amount", f.MaxAmount, &q.MaxAmount}} {
			if b.v == "" {
				continue
			}
			v, err := scale.ParseDecimal(b.v, digits, scale.ParseOptions{})
			if err != nil {
				fs = append(fs, scale.FieldError{Field: b.name, Message: "must be a decimal amount such as -12.50 with at most " + strconv.Itoa(digits) + " decimals"})
				continue
			}
			*b.dst = &v
		}
	}
	q.Type = scale.Type(f.Type)
	for _, c := range f.Category {
		q.Categories = append(q.Categories, scale.CategoryID(c))
	}
	q.Merchant, q.Account, q.Text, q.Uncategorized = f.Merchant, scale.AccountID(f.AccountID), f.Q, f.Uncategorized
	if f.LabelSource != "" {
		src := scale.LabelSource(f.LabelSource)
		q.LabelSource = &src
	}
	q.Ascending = f.Sort == "date_asc"
	if len(fs) > 0 {
		return q, scale.InvalidFields(scale.CodeInvalid, "The listing parameters are not valid.", fs...)
	}
	return q, nil
}

func (h *handlers) listTransactions(ctx context.Context, in *ListTransactionsInput) (*ListTransactionsOutput, error) {
	q, err := h.query(ctx, in.TransactionFilter)
	if err != nil {
		return nil, problem(ctx, h.log, err)
	}
	q.Limit = in.Limit
	page, err := h.s.Accounts.Transactions(ctx, userOf(ctx), accounts.Query{TransactionQuery: q, Cursor: in.Cursor})
	if err != nil {
		if se, ok := err.(*scale.Error); ok {
			for i, f := range se.Fields {
				se.Fields[i].Field = "query." + f.Field
			}
		}
		return nil, problem(ctx, h.log, err)
	}
	out := &ListTransactionsOutput{}
	out.Body.Items = make([]Transaction, len(page.Items))
	for i, t := range page.Items {
		out.Body.Items[i] = transactionOut(t)
	}
	out.Body.Next = page.Next
	if page.Next != "" {
		out.Link = "<" + nextLink(in, page.Next) + `>; rel="next"`
	}
	return out, nil
}

// nextLink rebuilds the listing URL with the next cursor.
func nextLink(in *ListTransactionsInput, cursor string) string {
	v := url.Values{}
	f := in.TransactionFilter
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("from", f.From)
	set("to", f.To)
	set("min_amount", f.MinAmount)
	set("max_amount", f.MaxAmount)
	set("type", f.Type)
	for _, c := range f.Category {
		v.Add("category", c)
	}
	set("merchant", f.Merchant)
	set("account_id", f.AccountID)
	set("q", f.Q)
	set("label_source", f.LabelSource)
	if f.Uncategorized {
		v.Set("uncategorized", "true")
	}
	if f.Sort != "" && f.Sort != "date_desc" {
		v.Set("sort", f.Sort)
	}
	v.Set("limit", strconv.Itoa(in.Limit))
	v.Set("cursor", cursor)
	return "/api/v1/transactions?" + v.Encode()
}

func (h *handlers) exportTransactions(ctx context.Context, in *ExportTransactionsInput) (*huma.StreamResponse, error) {
	q, err := h.query(ctx, in.TransactionFilter)
	if err != nil {
		return nil, problem(ctx, h.log, err)
	}
	user := userOf(ctx)
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
		hctx.SetHeader("Content-Disposition", `attachment; filename="transactions.csv"`)
		w := csv.NewWriter(hctx.BodyWriter())
		_ = w.Write([]string{"id", "date", "amount", "currency", "type", "description", "merchant", "category", "label_source", "account_id", "notes"})
		n := 0
		err := h.s.Accounts.Each(ctx, user, q, func(t scale.Transaction) error {
			o := transactionOut(t)
			n++
			if err := w.Write([]string{o.ID, o.Date, o.Amount, o.Currency, o.Type, ingestion.NeutralizeFormula(o.Description),
				ingestion.NeutralizeFormula(o.Merchant), ingestion.NeutralizeFormula(o.Category), o.LabelSource, o.AccountID, ingestion.NeutralizeFormula(o.Notes)}); err != nil {
				return err
			}
			if n%1000 == 0 {
				w.Flush()
			}
			return w.Error()
		})
		w.Flush()
		if err != nil {
			h.log.ErrorContext(ctx, "export failed mid-stream", "err", err)
		}
	}}, nil
}
