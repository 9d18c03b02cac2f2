package postgres_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Behaviour specific to this adapter, beyond the shared contract suite.

func seedAccount(t *testing.T, s *postgres.Store, user scale.UserID) scale.Account {
	t.Helper()
	a := scale.Account{ID: scale.AccountID(scale.NewID()), User: user, Name: "Main", Kind: scale.AccountChecking,
		Currency: "EUR", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestInsertAcrossBatches(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("batches")
	a := seedAccount(t, s, user)
	const n = 2*postgres.BatchSize + 500
	txs := benchTransactions(user, a.ID, n)
	// Repeat fingerprints across batch boundaries: index 1500 repeats 10,
	// index 2300 repeats 1999.
	txs[1500].Fingerprint, txs[2300].Fingerprint = txs[10].Fingerprint, txs[1999].Fingerprint
	res, err := s.InsertTransactions(ctx, user, txs[:n-100])
	is.NoErr(err)
	is.Equal(len(res.Inserted), n-100-2)
	is.Equal(res.Duplicates, []int{1500, 2300})

	// A second call with overlap: the first n-100 are stored already.
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{})
	is.NoErr(err)
	defer itx.Rollback(ctx)
	res, err = itx.Insert(ctx, txs[n-1200:])
	is.NoErr(err)
	is.Equal(len(res.Inserted), 100)
	is.Equal(res.Inserted[0], 1100)
	is.Equal(len(res.Duplicates), 1100)
}

func TestConcurrentModelVersionsAreNumberedOnce(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	user := scale.UserID("models")
	const n = 8
	versions := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m, err := s.CreateModelVersion(t.Context(), scale.ModelVersion{ID: scale.ModelVersionID(scale.NewID()),
				User: user, Job: scale.JobID(fmt.Sprint("job-", i)), Artifact: []byte{byte(i)}, CreatedAt: time.Now()})
			if err != nil {
				t.Error(err)
			}
			versions[i] = m.Version
		})
	}
	wg.Wait()
	slices.Sort(versions)
	is.Equal(versions, []int{1, 2, 3, 4, 5, 6, 7, 8})
}

func TestMalformedIDs(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	_, err := s.GetTransaction(ctx, "u", "not-a-uuid")
	is.Equal(scale.KindOf(err), scale.KindNotFound)
	err = s.CreateAccount(ctx, scale.Account{ID: "acct-1", User: "u", Name: "x", Kind: scale.AccountCash, Currency: "EUR"})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	err = s.CreateAccount(ctx, scale.Account{ID: scale.AccountID(scale.NewID()), User: "u", Name: "x", Kind: "vault", Currency: "EUR"})
	is.Equal(scale.KindOf(err), scale.KindInvalid) // the kind CHECK, mapped
}

func TestAnomaliesOnlyForOwnTransactions(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	alice, mallory := scale.UserID("alice"), scale.UserID("mallory")
	a := seedAccount(t, s, alice)
	x := benchTransactions(alice, a.ID, 1)[0]
	_, err := s.InsertTransactions(ctx, alice, []scale.Transaction{x})
	is.NoErr(err)
	n, err := s.PutAnomalies(ctx, mallory, []scale.Anomaly{{ID: scale.AnomalyID(scale.NewID()), User: mallory,
		Transaction: x.ID, Kind: scale.AnomalyAmountOutlier, Score: 1, Status: scale.AnomalyOpen, Date: x.Date}})
	is.NoErr(err)
	is.Equal(n, 0) // not mallory's transaction: nothing stored
}

func TestImportAbortsAfterAFailedStatement(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("aborts")
	a := seedAccount(t, s, user)
	txs := benchTransactions(user, a.ID, 2)
	_, err := s.InsertTransactions(ctx, user, txs[:1])
	is.NoErr(err)
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{})
	is.NoErr(err)
	clash := txs[1]
	clash.ID = txs[0].ID // same id, new fingerprint: the primary key refuses it
	_, err = itx.Insert(ctx, []scale.Transaction{clash})
	is.Equal(scale.KindOf(err), scale.KindConflict)
	_, err = itx.Insert(ctx, txs[1:])
	is.Equal(scale.CodeOf(err), "import.aborted")
	is.Equal(scale.CodeOf(itx.Commit(ctx, scale.Upload{ID: scale.UploadID(scale.NewID()), User: user})), "import.aborted")
	is.NoErr(itx.Rollback(ctx))
}

// TestFailedMiddleBatch: when the middle statement of a call that spans
// three batches fails (another user's account: the reference check refuses
// it), the call fails, nothing of any batch is stored, an import is
// aborted, and the pooled connections are clean for the next caller.
func TestFailedMiddleBatch(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("pipeline")
	a := seedAccount(t, s, user)
	other := seedAccount(t, s, "someone-else")
	txs := benchTransactions(user, a.ID, 3*postgres.BatchSize)
	for i := postgres.BatchSize; i < 2*postgres.BatchSize; i++ {
		txs[i].Account = other.ID
	}
	_, err := s.InsertTransactions(ctx, user, txs)
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	page, err := s.ListTransactions(ctx, user, ports.TransactionQuery{Limit: 10})
	is.NoErr(err)
	is.Equal(len(page.Items), 0) // the first batch went back with the rest

	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{})
	is.NoErr(err)
	_, err = itx.Insert(ctx, txs)
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	is.Equal(scale.CodeOf(itx.Commit(ctx, scale.Upload{ID: scale.UploadID(scale.NewID()), User: user})), "import.aborted")

	// Every pooled connection still works: the valid rows go in.
	for i := postgres.BatchSize; i < 2*postgres.BatchSize; i++ {
		txs[i].Account = a.ID
	}
	for range 4 {
		res, err := s.InsertTransactions(ctx, user, txs)
		is.NoErr(err)
		is.Equal(len(res.Inserted)+len(res.Duplicates), len(txs))
	}
	page, err = s.ListTransactions(ctx, user, ports.TransactionQuery{Limit: 10})
	is.NoErr(err)
	is.Equal(len(page.Items), 10)
}

// TestBatchFormsRoundTrip stores a batch whose rows share account, upload,
// notes and time stamps (sent once, as scalars) and one whose rows do not
// (sent as arrays), and reads every field back.
func TestBatchFormsRoundTrip(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("forms")
	a1, a2 := seedAccount(t, s, user), seedAccount(t, s, user)
	up := scale.Upload{ID: scale.UploadID(scale.NewID()), User: user, Account: a1.ID, FileName: "x.csv", SHA256: "forms",
		Status: scale.UploadProcessing, CreatedAt: time.Now()}
	is.NoErr(s.CreateUpload(ctx, up))
	uniform := benchTransactions(user, a1.ID, 3)
	mixed := benchTransactions(user, a1.ID, 3)
	for i := range uniform {
		uniform[i].Upload, uniform[i].Notes = up.ID, "same"
	}
	for i := range mixed {
		mixed[i].Fingerprint += ":mixed"
	}
	mixed[1].Account, mixed[1].Notes = a2.ID, "own note"
	mixed[2].CreatedAt = mixed[2].CreatedAt.Add(-time.Hour)
	mixed[2].Upload = up.ID
	for _, batch := range [][]scale.Transaction{uniform, mixed} {
		res, err := s.InsertTransactions(ctx, user, batch)
		is.NoErr(err)
		is.Equal(len(res.Inserted), len(batch))
		for _, want := range batch {
			got, err := s.GetTransaction(ctx, user, want.ID)
			is.NoErr(err)
			is.Equal(got.Account, want.Account)
			is.Equal(got.Upload, want.Upload)
			is.Equal(got.Notes, want.Notes)
			is.Equal(got.FingerprintVersion, want.FingerprintVersion)
			is.Equal(got.Fingerprint, want.Fingerprint)
			is.Equal(got.Amount, want.Amount)
			is.Equal(got.Date, want.Date)
			is.Equal(got.Label, want.Label)
			is.Equal(got.Raw, want.Raw)
			is.True(got.CreatedAt.Sub(want.CreatedAt).Abs() < time.Microsecond)
			is.True(got.UpdatedAt.Sub(want.UpdatedAt).Abs() < time.Microsecond)
		}
	}
}

// TestCopyFormRoundTrip: a user's first import stores its first batch
// with the statement and the rest with COPY (copyInsert); every field of
// every row reads back as it was given, for the edge values of each type:
// the first and last calendar dates, the largest amounts, NULL and set
// uploads, several accounts in one batch, non-ASCII and hostile text, and
// raw fields that jsonb must clean.
func TestCopyFormRoundTrip(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("copy-user ü")
	a1, a2 := seedAccount(t, s, user), seedAccount(t, s, user)
	up := scale.Upload{ID: scale.UploadID(scale.NewID()), User: user, Account: a1.ID, FileName: "x.csv", SHA256: "copy",
		Status: scale.UploadProcessing, CreatedAt: time.Now()}
	is.NoErr(s.CreateUpload(ctx, up))
	txs := benchTransactions(user, a1.ID, 2*postgres.BatchSize+5)
	edge := txs[postgres.BatchSize:]
	edge[0].Date = scale.Date{Year: 1, Month: time.January, Day: 1}
	edge[1].Date = scale.Date{Year: 9999, Month: time.December, Day: 31}
	edge[2].Amount.Minor = math.MaxInt64
	edge[3].Amount.Minor = math.MinInt64 + 1
	edge[4].Account, edge[4].Upload, edge[4].Notes = a2.ID, up.ID, "a note"
	edge[5].Description, edge[5].Merchant = "=HYPERLINK(\"x\") \"quoted\" \\ back\tslash\n新しい", "Café Zürich"
	edge[5].Reference = strings.Repeat("R", scale.MaxReferenceLen)
	edge[6].Raw = map[string]string{"a\x00b": "nul\x00here", "bad\xffutf8": "\xfe", "": "empty key", "q\"": "\u2028"}
	edge[7].Raw = nil
	edge[8].Label = scale.Label{}
	edge[9].Label = scale.Label{Category: "travel", Source: scale.SourceRule, Confidence: 1}
	edge[10].CreatedAt = time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.FixedZone("x", 3600))
	edge[11].Fingerprint = strings.Repeat("ab", 32) // a v1 fingerprint: stored as 32 bytes
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{UniqueFingerprints: true})
	is.NoErr(err)
	defer itx.Rollback(context.Background()) // releases the connection should a check fail; nothing after Commit
	for start := 0; start < len(txs); start += postgres.BatchSize {
		res, err := itx.Insert(ctx, txs[start:min(start+postgres.BatchSize, len(txs))])
		is.NoErr(err)
		is.Equal(len(res.Duplicates), 0)
		is.Equal(postgres.ImportCopies(itx), true) // decided at the first batch
	}
	is.NoErr(itx.Commit(ctx, up))
	for i, want := range txs {
		got, err := s.GetTransaction(ctx, user, want.ID)
		is.NoErr(err)
		is.Equal(got.Account, want.Account)
		is.Equal(got.Upload, want.Upload)
		is.Equal(got.Notes, want.Notes)
		is.Equal(got.Description, want.Description)
		is.Equal(got.Merchant, want.Merchant)
		is.Equal(got.Reference, want.Reference)
		is.Equal(got.FingerprintVersion, want.FingerprintVersion)
		is.Equal(got.Fingerprint, want.Fingerprint)
		is.Equal(got.Amount, want.Amount)
		is.Equal(got.Date, want.Date)
		is.Equal(got.Label, want.Label)
		if i != postgres.BatchSize+6 {
			is.Equal(got.Raw, want.Raw)
		}
		is.True(got.CreatedAt.Sub(want.CreatedAt).Abs() < time.Microsecond)
		is.True(got.UpdatedAt.Sub(want.UpdatedAt).Abs() < time.Microsecond)
	}
	got, err := s.GetTransaction(ctx, user, edge[6].ID)
	is.NoErr(err)
	is.Equal(got.Raw, map[string]string{"a\ufffdb": "nul\ufffdhere", "bad\ufffdutf8": "\ufffd", "": "empty key", "q\"": "\u2028"})
}

// TestFreshImportRepeatedID: a row whose id is already taken (by another
// user's row) fails a first import with a plain conflict, not
// import.retry: running the import again would not cure it.
func TestFreshImportRepeatedID(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	other := benchTransactions("id-owner", seedAccount(t, s, "id-owner").ID, 1)
	_, err := s.InsertTransactions(ctx, "id-owner", other)
	is.NoErr(err)
	user := scale.UserID("id-reuser")
	txs := benchTransactions(user, seedAccount(t, s, user).ID, 2*postgres.BatchSize)
	txs[postgres.BatchSize+3].ID = other[0].ID // in the COPY batch
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{UniqueFingerprints: true})
	is.NoErr(err)
	defer itx.Rollback(context.Background())
	_, err = itx.Insert(ctx, txs[:postgres.BatchSize])
	is.NoErr(err)
	_, err = itx.Insert(ctx, txs[postgres.BatchSize:])
	is.Equal(scale.KindOf(err), scale.KindConflict)
	is.True(scale.CodeOf(err) != ports.CodeImportRetry)
}

// TestFreshImportRacingAnotherWriter: an import that promised unique
// fingerprints into an empty account stores without the duplicate probe;
// when another writer stores one of its rows meanwhile, the unique index
// refuses it, Insert answers import.retry and nothing of the import stays.
func TestFreshImportRacingAnotherWriter(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	ctx := t.Context()
	user := scale.UserID("racer")
	a := seedAccount(t, s, user)
	txs := benchTransactions(user, a.ID, 2*postgres.BatchSize)
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{UniqueFingerprints: true})
	is.NoErr(err)
	res, err := itx.Insert(ctx, txs[:postgres.BatchSize])
	is.NoErr(err)
	is.Equal(len(res.Inserted), postgres.BatchSize) // every row new, nothing probed

	other := txs[postgres.BatchSize+7]
	other.ID = scale.TransactionID(scale.NewID())
	_, err = s.InsertTransactions(ctx, user, []scale.Transaction{other}) // commits first
	is.NoErr(err)

	_, err = itx.Insert(ctx, txs[postgres.BatchSize:])
	is.Equal(scale.CodeOf(err), ports.CodeImportRetry)
	is.NoErr(itx.Rollback(ctx))
	page, err := s.ListTransactions(ctx, user, ports.TransactionQuery{Limit: 10})
	is.NoErr(err)
	is.Equal(len(page.Items), 1) // only the other writer's row

	// The second attempt, without the promise, finds it as a duplicate.
	itx, err = s.BeginImport(ctx, user, ports.ImportOptions{})
	is.NoErr(err)
	res, err = itx.Insert(ctx, txs)
	is.NoErr(err)
	is.Equal(len(res.Inserted), len(txs)-1)
	is.Equal(res.Duplicates, []int{postgres.BatchSize + 7})
	is.NoErr(itx.Rollback(ctx))
}
