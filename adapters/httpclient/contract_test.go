package httpclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/httpclient"
)

// The contract test reads the OpenAPI document the real handler serves at
// /openapi.json and checks the client against it: the operation tables
// agree both ways, every method sends what its operation declares, and
// every response type has the fields and JSON types of its schema.

type openAPI struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type specOp struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`

	method, path string
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 any                `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
}

// types returns the schema's JSON types ("string", or several with "null").
func (s *schema) types() []string {
	switch t := s.Type.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, v := range t {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (s *schema) is(t string) bool { return slices.Contains(s.types(), t) }

// loadSpec fetches the document of a live server and indexes its
// operations by operationId.
func loadSpec(t *testing.T) (*openAPI, map[string]*specOp) {
	t.Helper()
	srv := newServer(t)
	resp, err := srv.Client().Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json: %s", resp.Status)
	}
	var doc openAPI
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]*specOp{}
	for path, methods := range doc.Paths {
		for m, raw := range methods {
			switch m {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
			default:
				continue
			}
			op := &specOp{}
			if err := json.Unmarshal(raw, op); err != nil {
				t.Fatalf("%s %s: %v", m, path, err)
			}
			op.method, op.path = strings.ToUpper(m), path
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", op.method, path)
				continue
			}
			ops[op.OperationID] = op
		}
	}
	if len(ops) < 10 {
		t.Fatalf("the spec has only %d operations", len(ops))
	}
	return &doc, ops
}

// resolve follows a $ref to components.schemas.
func (d *openAPI) resolve(s *schema) *schema {
	for s != nil && s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestContractOperationTables checks that the client calls every operation
// of the spec, and only those, at the spec's method and path.
func TestContractOperationTables(t *testing.T) {
	_, ops := loadSpec(t)
	client := map[string]httpclient.Operation{}
	for _, o := range httpclient.Operations() {
		if _, dup := client[o.ID]; dup {
			t.Errorf("the client lists %s twice", o.ID)
		}
		client[o.ID] = o
		s, ok := ops[o.ID]
		if !ok {
			t.Errorf("the client calls %s (%s %s), which the spec does not have", o.ID, o.Method, o.Path)
			continue
		}
		if s.method != o.Method || s.path != httpclient.APIPrefix+o.Path {
			t.Errorf("%s: the client sends %s %s, the spec says %s %s", o.ID, o.Method, httpclient.APIPrefix+o.Path, s.method, s.path)
		}
	}
	for _, id := range sortedKeys(ops) {
		if _, ok := client[id]; !ok {
			t.Errorf("the spec's operation %s (%s %s) has no client method", id, ops[id].method, ops[id].path)
		}
		if _, ok := contractCases[id]; !ok {
			t.Errorf("the spec's operation %s has no contract case", id)
		}
	}
	for id := range contractCases {
		if _, ok := ops[id]; !ok {
			t.Errorf("contract case %s names no operation of the spec", id)
		}
	}
}

// recorded is one request the client sent.
type recorded struct {
	method, path, contentType string
	query                     url.Values
	body                      []byte
}

// recorder records requests and answers each with an empty JSON object.
type recorder struct{ reqs []recorded }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = b
		_ = req.Body.Close()
	}
	r.reqs = append(r.reqs, recorded{method: req.Method, path: req.URL.Path, contentType: req.Header.Get("Content-Type"),
		query: req.URL.Query(), body: body})
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
}

// matchPath reports whether path is an instance of the template.
func matchPath(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// TestContractRequestsAndResponses calls every method with every option set
// and checks the request against its operation, then checks the method's
// response type against the operation's 2xx schema.
func TestContractRequestsAndResponses(t *testing.T) {
	doc, ops := loadSpec(t)
	for _, id := range sortedKeys(contractCases) {
		cc := contractCases[id]
		t.Run(id, func(t *testing.T) {
			op, ok := ops[id]
			if !ok {
				t.Skip("not in the spec")
			}
			rec := &recorder{}
			c, err := httpclient.New("http://scale.test", httpclient.WithToken("t"), httpclient.WithHTTPClient(&http.Client{Transport: rec}))
			if err != nil {
				t.Fatal(err)
			}
			if err := cc.call(t.Context(), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if len(rec.reqs) != 1 {
				t.Fatalf("sent %d requests, want 1", len(rec.reqs))
			}
			r := rec.reqs[0]
			if r.method != op.method || !matchPath(op.path, r.path) {
				t.Fatalf("sent %s %s, the spec says %s %s", r.method, r.path, op.method, op.path)
			}
			checkQuery(t, op, r.query)
			checkBody(t, doc, op, r)
			checkResponse(t, doc, op, cc.resp)
		})
	}
}

// checkQuery wants exactly the spec's query parameters: the call sets every
// option, so a parameter the client cannot send is a gap.
func checkQuery(t *testing.T, op *specOp, q url.Values) {
	t.Helper()
	want := map[string]bool{}
	for _, p := range op.Parameters {
		if p.In == "query" {
			want[p.Name] = true
		}
	}
	for k := range q {
		if !want[k] {
			t.Errorf("sends query parameter %q, which the spec does not declare", k)
		}
	}
	for _, k := range sortedKeys(want) {
		if _, ok := q[k]; !ok {
			t.Errorf("cannot send the spec's query parameter %q", k)
		}
	}
}

// checkBody compares a JSON body with the request schema (every property
// sent, none unknown, JSON types matching) and a multipart body with the
// form's fields.
func checkBody(t *testing.T, doc *openAPI, op *specOp, r recorded) {
	t.Helper()
	if op.RequestBody == nil {
		if len(r.body) > 0 {
			t.Errorf("sends a body, the spec declares none: %s", r.body)
		}
		return
	}
	mt, params, _ := mime.ParseMediaType(r.contentType)
	content, ok := op.RequestBody.Content[mt]
	if !ok {
		t.Fatalf("sends %q, the spec accepts %v", mt, sortedKeys(op.RequestBody.Content))
	}
	s := doc.resolve(content.Schema)
	switch mt {
	case "application/json":
		var v any
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Fatalf("body is not JSON: %v", err)
		}
		checkValue(t, doc, "body", v, s, true)
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
		sent := map[string]bool{}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			sent[p.FormName()] = true
		}
		for k := range sent {
			if _, ok := s.Properties[k]; !ok {
				t.Errorf("sends form field %q, which the spec does not declare", k)
			}
		}
		for _, k := range sortedKeys(s.Properties) {
			if !sent[k] {
				t.Errorf("cannot send the spec's form field %q", k)
			}
		}
	}
}

// checkValue compares a decoded JSON value with its schema. With all, an
// object must carry every property (the call set every option).
func checkValue(t *testing.T, doc *openAPI, at string, v any, s *schema, all bool) {
	t.Helper()
	s = doc.resolve(s)
	if s == nil {
		return
	}
	switch v := v.(type) {
	case nil:
		if !s.is("null") {
			t.Errorf("%s: sends null, the spec wants %v", at, s.types())
		}
	case string:
		if !s.is("string") {
			t.Errorf("%s: sends a string, the spec wants %v", at, s.types())
		}
	case bool:
		if !s.is("boolean") {
			t.Errorf("%s: sends a boolean, the spec wants %v", at, s.types())
		}
	case float64:
		if !s.is("number") && !s.is("integer") {
			t.Errorf("%s: sends a number, the spec wants %v", at, s.types())
		}
	case []any:
		if !s.is("array") {
			t.Errorf("%s: sends an array, the spec wants %v", at, s.types())
			return
		}
		for i, e := range v {
			checkValue(t, doc, at+"["+strconv.Itoa(i)+"]", e, s.Items, all)
		}
	case map[string]any:
		if !s.is("object") {
			t.Errorf("%s: sends an object, the spec wants %v", at, s.types())
			return
		}
		for k, e := range v {
			ps, ok := s.Properties[k]
			if !ok {
				t.Errorf("%s: sends %q, which the spec does not declare", at, k)
				continue
			}
			checkValue(t, doc, at+"."+k, e, ps, all)
		}
		for _, k := range s.Required {
			if _, ok := v[k]; !ok {
				t.Errorf("%s: does not send the required %q", at, k)
			}
		}
		if all {
			for _, k := range sortedKeys(s.Properties) {
				if _, ok := v[k]; !ok {
					t.Errorf("%s: cannot send the spec's %q", at, k)
				}
			}
		}
	}
}

// checkResponse compares the Go type a method decodes with the JSON schema
// of the operation's 2xx answer, both ways.
func checkResponse(t *testing.T, doc *openAPI, op *specOp, resp any) {
	t.Helper()
	var s *schema
	for _, code := range sortedKeys(op.Responses) {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		if c, ok := op.Responses[code].Content["application/json"]; ok {
			s = c.Schema
			break
		}
	}
	switch {
	case resp == nil && s != nil:
		t.Errorf("the spec answers JSON, the client decodes none")
	case resp != nil && s == nil:
		t.Errorf("the client decodes %T, the spec answers no JSON", resp)
	case resp != nil:
		checkType(t, doc, reflect.TypeOf(resp).String(), reflect.TypeOf(resp), s, map[reflect.Type]bool{})
	}
}

var timeType = reflect.TypeFor[time.Time]()

// checkType compares a Go type with a schema: every JSON field of a struct
// is a property and every property a field, with matching JSON types.
func checkType(t *testing.T, doc *openAPI, at string, typ reflect.Type, s *schema, seen map[reflect.Type]bool) {
	t.Helper()
	s = doc.resolve(s)
	if s == nil {
		t.Errorf("%s: no schema", at)
		return
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	want := func(js string) {
		if !s.is(js) {
			t.Errorf("%s: %s decodes %s, the spec says %v", at, typ, js, s.types())
		}
	}
	switch {
	case typ == timeType:
		want("string")
	case typ.Kind() == reflect.String:
		want("string")
	case typ.Kind() == reflect.Bool:
		want("boolean")
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Uint64:
		want("integer")
	case typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64:
		if !s.is("number") && !s.is("integer") {
			t.Errorf("%s: %s decodes a number, the spec says %v", at, typ, s.types())
		}
	case typ.Kind() == reflect.Slice:
		want("array")
		if s.Items != nil {
			checkType(t, doc, at+"[]", typ.Elem(), s.Items, seen)
		}
	case typ.Kind() == reflect.Map:
		want("object")
		var ap schema
		if len(s.AdditionalProperties) > 0 && json.Unmarshal(s.AdditionalProperties, &ap) == nil && ap.Type != nil {
			checkType(t, doc, at+"{}", typ.Elem(), &ap, seen)
		}
	case typ.Kind() == reflect.Struct:
		want("object")
		if seen[typ] {
			return
		}
		seen[typ] = true
		defer delete(seen, typ)
		fields := map[string]reflect.StructField{}
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields[name] = f
		}
		for _, name := range sortedKeys(fields) {
			ps, ok := s.Properties[name]
			if !ok {
				t.Errorf("%s: field %q is not in the spec", at, name)
				continue
			}
			checkType(t, doc, at+"."+name, fields[name].Type, ps, seen)
		}
		for _, name := range sortedKeys(s.Properties) {
			if _, ok := fields[name]; !ok && name != "$schema" {
				t.Errorf("%s: the spec's %q is missing", at, name)
			}
		}
	case typ.Kind() == reflect.Interface:
	default:
		t.Errorf("%s: unexpected type %s", at, typ)
	}
}

// contractCase calls one operation with every option set; resp is a value
// of the type the method decodes the 2xx answer into (nil for none).
type contractCase struct {
	call func(ctx context.Context, c *httpclient.Client) error
	resp any
}

// items is the list envelope of the listings without a cursor.
type items[T any] struct {
	Items []T `json:"items"`
}

func str(s string) *string { return &s }

var allFilters = httpclient.TransactionFilter{
	From: "2026-01-01", To: "2026-03-31", MinAmount: "-100.00", MaxAmount: "-1.00", Type: httpclient.TypeDebit,
	Categories: []string{"food", "transport"}, Merchant: "Starbucks", AccountID: "a1", Text: "coffee",
	LabelSource: httpclient.SourceModel, Uncategorized: true, Ascending: true,
}

var contractCases = map[string]contractCase{
	"get-profile": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Profile(ctx)
		return err
	}, httpclient.Profile{}},
	"update-profile": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.UpdateProfile(ctx, httpclient.ProfilePatch{DisplayName: str("Ada"), Currency: str("EUR"),
			TimeZone: str("Europe/Berlin"), Locale: str("de-DE")})
		return err
	}, httpclient.Profile{}},
	"create-account": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Kind: httpclient.KindChecking, Currency: "EUR", Institution: "N26"})
		return err
	}, httpclient.Account{}},
	"list-accounts": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Accounts(ctx)
		return err
	}, items[httpclient.Account]{}},
	"get-account": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Account(ctx, "a1")
		return err
	}, httpclient.Account{}},
	"update-account": {func(ctx context.Context, c *httpclient.Client) error {
		closed := true
		_, err := c.UpdateAccount(ctx, "a1", httpclient.AccountPatch{Name: str("Joint"), Institution: str("N26"), Closed: &closed})
		return err
	}, httpclient.Account{}},
	"list-transactions": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Transactions(ctx, httpclient.TransactionQuery{TransactionFilter: allFilters, Limit: 10, Cursor: "c"})
		return err
	}, httpclient.TransactionPage{}},
	"export-transactions": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.ExportTransactions(ctx, allFilters, io.Discard)
		return err
	}, nil},
	"get-transaction": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Transaction(ctx, "t1")
		return err
	}, httpclient.Transaction{}},
	"update-transaction": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.UpdateTransaction(ctx, "t1", httpclient.TransactionPatch{Category: str("food"), Merchant: str("Starbucks"), Notes: str("n")})
		return err
	}, httpclient.Transaction{}},
	"delete-transaction": {func(ctx context.Context, c *httpclient.Client) error {
		return c.DeleteTransaction(ctx, "t1")
	}, nil},
	"create-import": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Import(ctx, httpclient.ImportRequest{FileName: "s.csv", Body: strings.NewReader("a,b\n"), AccountID: "a1",
			Password: "p", Profile: "headerless-date-desc-amount", Mapping: &httpclient.ColumnMapping{Date: "1"}, DryRun: true})
		return err
	}, httpclient.Import{}},
	"list-imports": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.Imports(ctx, httpclient.ImportQuery{Limit: 5, Cursor: "c"})
		return err
	}, httpclient.ImportPage{}},
	"get-import": {func(ctx context.Context, c *httpclient.Client) error {
		_, err := c.ImportByID(ctx, "u1")
		return err
	}, httpclient.Import{}},
}

func init() {
	cases := map[string]contractCase{
		"classify": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Classify(ctx, classifyItem)
			return err
		}, httpclient.ClassifyResult{}},
		"classify-batch": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.ClassifyBatch(ctx, []httpclient.ClassifyItem{classifyItem, classifyItem})
			return err
		}, items[httpclient.ClassifyResult]{}},
		"list-categories": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Categories(ctx)
			return err
		}, items[httpclient.Category]{}},
		"create-category": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.CreateCategory(ctx, "Pets")
			return err
		}, httpclient.Category{}},
		"update-category": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.RenameCategory(ctx, "k1", "Pet care")
			return err
		}, httpclient.Category{}},
		"delete-category": {func(ctx context.Context, c *httpclient.Client) error {
			return c.DeleteCategory(ctx, "k1")
		}, nil},
		"list-rules": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Rules(ctx)
			return err
		}, items[httpclient.Rule]{}},
		"create-rule": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.CreateRule(ctx, httpclient.NewRule{Category: "food", Field: httpclient.FieldMerchant, Match: httpclient.MatchContains,
				Pattern: "starbucks", MinAmount: "-50.00", MaxAmount: "-1.00", AccountID: "a1", Priority: 10})
			return err
		}, httpclient.Rule{}},
		"get-rule": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Rule(ctx, "r1")
			return err
		}, httpclient.Rule{}},
		"update-rule": {func(ctx context.Context, c *httpclient.Client) error {
			prio := 5
			_, err := c.UpdateRule(ctx, "r1", httpclient.RulePatch{Category: str("food"), Field: str("any"), Match: str("regex"),
				Pattern: str("^x"), MinAmount: str("-1.00"), MaxAmount: str("0.00"), AccountID: str("a1"), Priority: &prio})
			return err
		}, httpclient.Rule{}},
		"delete-rule": {func(ctx context.Context, c *httpclient.Client) error {
			return c.DeleteRule(ctx, "r1")
		}, nil},
		"discover-categories": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.DiscoverCategories(ctx, httpclient.DiscoverRequest{From: "2026-01-01", To: "2026-03-31", Limit: 100})
			return err
		}, httpclient.Discovery{}},
		"accept-discovered-category": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.AcceptDiscoveredCategory(ctx, "Climbing", []string{"t1", "t2"})
			return err
		}, httpclient.AcceptedCategory{}},
		"create-training-job": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.CreateTrainingJob(ctx, httpclient.TrainingOptions{Force: true})
			return err
		}, httpclient.TrainingJob{}},
		"list-training-jobs": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.TrainingJobs(ctx, 5)
			return err
		}, items[httpclient.TrainingJob]{}},
		"get-training-job": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.TrainingJob(ctx, "j1")
			return err
		}, httpclient.TrainingJob{}},
		"cancel-training-job": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.CancelTrainingJob(ctx, "j1")
			return err
		}, httpclient.TrainingJob{}},
		"list-models": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Models(ctx)
			return err
		}, httpclient.ModelList{}},
		"activate-model": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.ActivateModel(ctx, "m1")
			return err
		}, httpclient.ModelVersion{}},
		"list-recurring": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Recurring(ctx, "2026-03-31")
			return err
		}, items[httpclient.RecurringStream]{}},
		"get-forecasts": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Forecasts(ctx, httpclient.ForecastQuery{Horizon: 30, ByCategory: true, AccountID: "a1", Currency: "EUR", AsOf: "2026-03-31"})
			return err
		}, items[httpclient.Forecast]{}},
		"list-anomalies": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Anomalies(ctx, httpclient.AnomalyQuery{Status: httpclient.AnomalyOpen, Kind: "duplicate_charge", Limit: 5, Cursor: "c"})
			return err
		}, httpclient.AnomalyPage{}},
		"get-anomaly": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.Anomaly(ctx, "x1")
			return err
		}, httpclient.Anomaly{}},
		"dismiss-anomaly": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.DismissAnomaly(ctx, "x1")
			return err
		}, httpclient.Anomaly{}},
		"confirm-anomaly": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.ConfirmAnomaly(ctx, "x1")
			return err
		}, httpclient.Anomaly{}},
		"scan-anomalies": {func(ctx context.Context, c *httpclient.Client) error {
			_, err := c.ScanAnomalies(ctx)
			return err
		}, struct {
			NewFindings int `json:"new_findings"`
		}{}},
	}
	for id, cc := range cases {
		contractCases[id] = cc
	}
}

var classifyItem = httpclient.ClassifyItem{Description: "CARD PAYMENT STARBUCKS", Merchant: "Starbucks", Amount: "-4.20",
	Currency: "EUR", Date: "2026-03-01", AccountID: "a1"}
