package httpapi_test

import "github.com/scalehq/scale/scale/accounts"

func accountsNew(name string) accounts.NewAccount {
	return accounts.NewAccount{Name: name, Currency: "EUR"}
}
