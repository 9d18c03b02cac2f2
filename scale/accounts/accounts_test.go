package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
)

func newService(t *testing.T) *accounts.Service {
	t.Helper()
	st := memory.NewStore()
	s, err := accounts.New(accounts.Deps{Profiles: st, Accounts: st, Transactions: st, Clock: memory.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCursorRoundTripAndTampering(t *testing.T) {
	is := is.New(t)
	c := ports.TransactionCursor{Date: scale.Date{Year: 2026, Month: 3, Day: 1}, ID: scale.TransactionID(scale.NewID())}
	tok := accounts.EncodeCursor(c, false)
	got, err := accounts.DecodeCursor(tok, false)
	is.NoErr(err)
	is.Equal(got, c)
	_, err = accounts.DecodeCursor(tok, true) // made for the other order
	is.Equal(scale.CodeOf(err), scale.CodeCursorInvalid)
	for _, bad := range []string{"", "not-base64!", accounts.EncodeCursor(ports.TransactionCursor{Date: c.Date, ID: "x"}, false), tok[:len(tok)-3]} {
		_, err := accounts.DecodeCursor(bad, false)
		is.True(err != nil)
	}
}

func TestProfileAndAccounts(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	s := newService(t)
	p, err := s.Profile(ctx, "ada")
	is.NoErr(err)
	is.Equal(p.Currency, scale.Currency("EUR")) // defaults before anything is saved
	gbp, tz, bad := "gbp", "Europe/London", "Mars/Base"
	p, err = s.UpdateProfile(ctx, "ada", accounts.ProfilePatch{Currency: &gbp, TimeZone: &tz})
	is.NoErr(err)
	is.Equal(p.Currency, scale.Currency("GBP"))
	_, err = s.UpdateProfile(ctx, "ada", accounts.ProfilePatch{TimeZone: &bad, Currency: &bad})
	is.Equal(len(err.(*scale.Error).Fields), 2)

	a, err := s.CreateAccount(ctx, "ada", accounts.NewAccount{Name: "  Main  "})
	is.NoErr(err)
	is.Equal(a.Name, "Main")
	is.Equal(a.Currency, scale.Currency("GBP")) // the profile's currency
	closed := true
	a, err = s.UpdateAccount(ctx, "ada", a.ID, accounts.AccountPatch{Closed: &closed})
	is.NoErr(err)
	is.True(a.Closed())
	_, err = s.AddTransactions(ctx, "ada", []scale.Transaction{{Account: a.ID, Date: scale.Date{Year: 2026, Month: 3, Day: 1},
		Amount: scale.Money{Minor: -100, Currency: "GBP"}, Description: "x"}})
	is.Equal(scale.CodeOf(err), scale.CodeAccountClosed) // a closed account takes no new rows
	_, err = s.Account(ctx, "mallory", a.ID)
	is.Equal(scale.KindOf(err), scale.KindNotFound)
	_, err = s.CreateAccount(ctx, "ada", accounts.NewAccount{Name: "", Kind: "piggy", Currency: "XYZ"})
	is.Equal(len(err.(*scale.Error).Fields), 3)
}

func TestListingValidation(t *testing.T) {
	is := is.New(t)
	s := newService(t)
	minA, maxA := int64(10), int64(5)
	_, err := s.Transactions(context.Background(), "ada", accounts.Query{TransactionQuery: ports.TransactionQuery{
		Limit: 500, From: scale.Date{Year: 2026, Month: 3, Day: 2}, To: scale.Date{Year: 2026, Month: 3, Day: 1},
		MinAmount: &minA, MaxAmount: &maxA}, Cursor: "junk"})
	fields := map[string]bool{}
	for _, f := range err.(*scale.Error).Fields {
		fields[f.Field] = true
	}
	is.Equal(fields, map[string]bool{"limit": true, "from": true, "min_amount": true, "cursor": true})
}
