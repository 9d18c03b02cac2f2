package categorization_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// fakeModel answers "food" with confidence 0.9 when the description
// contains "cafe", "shopping" with 0.3 otherwise, and a novel cluster for
// "mystery". It counts its calls.
type fakeModel struct{ calls atomic.Int32 }

func (m *fakeModel) Info() ports.ModelInfo { return ports.ModelInfo{Name: "fake"} }

func (m *fakeModel) Predict(ctx context.Context, items []ports.ClassifyInput) ([]ports.Prediction, error) {
	m.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]ports.Prediction, len(items))
	for i, it := range items {
		d := strings.ToLower(it.Description)
		switch {
		case strings.Contains(d, "cafe"):
			out[i] = ports.Prediction{Category: "food", Confidence: 0.9}
		case strings.Contains(d, "mystery"):
			out[i] = ports.Prediction{Category: "misc", Confidence: 0.8, Novel: "new:1"}
		default:
			out[i] = ports.Prediction{Category: "shopping", Confidence: 0.3}
		}
	}
	return out, nil
}

func (m *fakeModel) Discover(context.Context, []ports.ClassifyInput) ([]ports.DiscoveredCategory, error) {
	return []ports.DiscoveredCategory{{Key: "new:1", Name: "Mystery"}}, nil
}

const user = scale.UserID("u1")

func setup(t *testing.T) (*categorization.Service, *memory.Store, *fakeModel) {
	t.Helper()
	store := memory.NewStore()
	fm := &fakeModel{}
	svc, err := categorization.NewService(categorization.Deps{Categories: store, Models: categorization.NewStaticModel(fm),
		Clock: memory.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Threshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	return svc, store, fm
}

func in(desc string, amount int64) categorization.Input {
	return categorization.Input{ClassifyInput: ports.ClassifyInput{Description: desc, Amount: amount, Currency: "USD"}, Account: "acc1"}
}

func i64(v int64) *int64 { return &v }

func TestPipelineOrder(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, store, _ := setup(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	is.NoErr(store.CreateRule(ctx, scale.Rule{ID: "r-late", User: user, Category: "transport", Field: scale.FieldAny,
		Match: scale.MatchContains, Pattern: "uber", Priority: 5, CreatedAt: now}))
	is.NoErr(store.CreateRule(ctx, scale.Rule{ID: "r-early", User: user, Category: "food", Field: scale.FieldDescription,
		Match: scale.MatchRegex, Pattern: `uber\s+eats`, Priority: 1, CreatedAt: now}))
	is.NoErr(store.CreateRule(ctx, scale.Rule{ID: "r-big", User: user, Category: "finance", Field: scale.FieldAny,
		Match: scale.MatchContains, MinAmount: i64(-100000), MaxAmount: i64(-50000), Priority: 3, CreatedAt: now}))
	is.NoErr(store.CreateRule(ctx, scale.Rule{ID: "r-acct", User: user, Category: "people", Field: scale.FieldMerchant,
		Match: scale.MatchEquals, Pattern: "bob", Account: "acc2", Priority: 2, CreatedAt: now}))
	is.NoErr(store.PutCorrection(ctx, ports.Correction{User: user, Key: categorization.CorrectionKey("", "CARD 1234 BOOKSHOP"), Category: "education", UpdatedAt: now}))

	bob := in("transfer", -500)
	bob.Merchant = "BOB"
	bobOther := bob
	bobOther.Account = "acc2"
	cases := []struct {
		name   string
		in     categorization.Input
		cat    scale.CategoryID
		source scale.LabelSource
	}{
		{"regex rule beats later contains rule", in("UBER   EATS order", -1200), "food", scale.SourceRule},
		{"contains rule", in("Uber trip", -1200), "transport", scale.SourceRule},
		{"amount range rule", in("something big", -60000), "finance", scale.SourceRule},
		{"account rule needs the account", bob, "uncategorized", scale.SourceModel},
		{"account rule", bobOther, "people", scale.SourceRule},
		{"correction by normalized key", in("card 9876 bookshop", -900), "education", scale.SourceCorrection},
		{"model above threshold", in("Blue Cafe", -450), "food", scale.SourceModel},
		{"model below threshold", in("thing", -450), scale.Uncategorized, scale.SourceModel},
		{"novel stays uncategorized", in("mystery shop", -450), scale.Uncategorized, scale.SourceModel},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			is := is.New(t)
			r, err := svc.Classify(ctx, user, c.in)
			is.NoErr(err)
			is.Equal(r.Label.Category, c.cat)
			is.Equal(r.Label.Source, c.source)
			is.True(r.Label.Confidence >= 0 && r.Label.Confidence <= 1)
			if c.source != scale.SourceModel {
				is.Equal(r.Label.Confidence, 1.0)
			}
		})
	}
	r, err := svc.Classify(ctx, user, in("mystery shop", -450))
	is.NoErr(err)
	is.Equal(r.Novel, "new:1")
	is.Equal(r.Suggested, scale.CategoryID("misc"))
}

func TestRulesAreIsolatedPerUser(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, store, _ := setup(t)
	is.NoErr(store.CreateRule(ctx, scale.Rule{ID: "r1", User: "other", Category: "transport", Field: scale.FieldAny,
		Match: scale.MatchContains, Pattern: "cafe"}))
	r, err := svc.Classify(ctx, user, in("Blue Cafe", -450))
	is.NoErr(err)
	is.Equal(r.Label.Source, scale.SourceModel)
}

func TestClassifyBatchOneModelCall(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, _, fm := setup(t)
	ins := make([]categorization.Input, 500)
	for i := range ins {
		ins[i] = in("cafe", -100)
		if i%2 == 1 {
			ins[i] = in("other", -100)
		}
	}
	rs, err := svc.ClassifyBatch(ctx, user, ins)
	is.NoErr(err)
	is.Equal(len(rs), len(ins))
	is.Equal(fm.calls.Load(), int32(1))
	is.Equal(rs[0].Label.Category, scale.CategoryID("food"))
	is.Equal(rs[1].Label.Category, scale.Uncategorized)
}

func TestLabelBatchKeepsImportLabels(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, _, _ := setup(t)
	txs := []scale.Transaction{
		{ID: "t1", Description: "cafe", Amount: scale.Money{Minor: -100, Currency: "USD"}, Label: scale.Label{Category: "health", Source: scale.SourceImport, Confidence: 1}},
		{ID: "t2", Description: "cafe", Amount: scale.Money{Minor: -100, Currency: "USD"}},
	}
	ls, err := svc.LabelBatch(ctx, user, txs)
	is.NoErr(err)
	is.Equal(ls[0], scale.Label{Category: "health", Source: scale.SourceImport, Confidence: 1})
	is.Equal(ls[1].Category, scale.CategoryID("food"))
	is.Equal(ls[1].Source, scale.SourceModel)
}

func TestCorrectRecordsAndApplies(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, store, _ := setup(t)
	tx := scale.Transaction{ID: "t1", User: user, Description: "POS 4111XXXX1234 GREEN GROCER 0312", Amount: scale.Money{Minor: -100, Currency: "USD"}}
	got, c, err := svc.Correct(ctx, user, tx, "food")
	is.NoErr(err)
	is.Equal(got.Label, scale.Label{Category: "food", Source: scale.SourceCorrection, Confidence: 1})
	is.Equal(c.Key, "pos green grocer")
	is.Equal(got.UpdatedAt, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	cs, err := store.ListCorrections(ctx, user)
	is.NoErr(err)
	is.Equal(len(cs), 1)
	r, err := svc.Classify(ctx, user, in("POS 4999XXXX9999 GREEN GROCER 0401", -300))
	is.NoErr(err)
	is.Equal(r.Label.Source, scale.SourceCorrection)
	is.Equal(r.Label.Category, scale.CategoryID("food"))

	_, _, err = svc.Correct(ctx, user, tx, "no-such-category")
	is.Equal(scale.CodeOf(err), categorization.CodeUnknownCategory)
	is.NoErr(store.CreateCategory(ctx, scale.Category{ID: "pets", User: user, Name: "Pets"}))
	_, _, err = svc.Correct(ctx, user, tx, "pets")
	is.NoErr(err)
}

func TestDiscoverAndModelSwap(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	src := categorization.NewStaticModel(nil)
	svc, err := categorization.NewService(categorization.Deps{Categories: memory.NewStore(), Models: src})
	is.NoErr(err)
	_, err = svc.Classify(ctx, user, in("cafe", -1))
	is.Equal(scale.KindOf(err), scale.KindUnavailable)
	is.True(src.Swap(&fakeModel{}) == nil)
	ds, err := svc.Discover(ctx, user, []ports.ClassifyInput{{Description: "mystery"}})
	is.NoErr(err)
	is.Equal(ds[0].Name, "Mystery")

	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if i%10 == 0 {
					src.Swap(&fakeModel{})
				}
				r, err := svc.Classify(ctx, user, in("cafe", -1))
				if err != nil || r.Label.Category != "food" {
					t.Error("concurrent classify failed", err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewServiceNeedsDeps(t *testing.T) {
	is := is.New(t)
	_, err := categorization.NewService(categorization.Deps{})
	is.Equal(scale.CodeOf(err), categorization.CodeDepsInvalid)
}

func TestAcceptDiscovered(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, store, _ := setup(t)
	d := ports.DiscoveredCategory{Key: "new:1", Name: "Pharmacy / Apollo", MemberIDs: []string{"t1", "t2"}}
	c, ups, err := svc.Accept(ctx, user, d, "Health care")
	is.NoErr(err)
	is.Equal(c.Name, "Health care")
	is.Equal(len(ups), 2)
	is.Equal(ups[1].ID, scale.TransactionID("t2"))
	is.Equal(ups[0].Label, scale.Label{Category: c.ID, Source: scale.SourceCorrection, Confidence: 1})
	own, err := store.ListCategories(ctx, user)
	is.NoErr(err)
	is.Equal(len(own), 1)
	_, _, err = svc.Accept(ctx, user, d, "health CARE")
	is.Equal(scale.KindOf(err), scale.KindConflict)
	c2, _, err := svc.Accept(ctx, user, ports.DiscoveredCategory{Name: "Pharmacy / Apollo"}, "")
	is.NoErr(err)
	is.Equal(c2.Name, "Pharmacy / Apollo")
	_, _, err = svc.Accept(ctx, user, ports.DiscoveredCategory{}, " ")
	is.Equal(scale.CodeOf(err), categorization.CodeInputInvalid)
}

func TestBatchIsBounded(t *testing.T) {
	is := is.New(t)
	svc, _, fm := setup(t)
	_, err := svc.ClassifyBatch(context.Background(), user, make([]categorization.Input, categorization.MaxBatch+1))
	is.Equal(scale.KindOf(err), scale.KindTooLarge)
	is.Equal(scale.CodeOf(err), categorization.CodeBatchTooLarge)
	_, err = svc.Discover(context.Background(), user, make([]ports.ClassifyInput, categorization.MaxBatch+1))
	is.Equal(scale.KindOf(err), scale.KindTooLarge)
	is.Equal(fm.calls.Load(), int32(0))
}
