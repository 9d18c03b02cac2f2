package httpclient

import (
	"net/http"
	"slices"
)

// Operation is one operation of the API as the client calls it: the spec's
// operationId, the HTTP method and the path template below APIPrefix.
type Operation struct {
	ID     string
	Method string
	Path   string
}

// The operations of profile, accounts, transactions and imports.
var (
	opGetProfile         = Operation{"get-profile", http.MethodGet, "/profile"}
	opUpdateProfile      = Operation{"update-profile", http.MethodPatch, "/profile"}
	opCreateAccount      = Operation{"create-account", http.MethodPost, "/accounts"}
	opListAccounts       = Operation{"list-accounts", http.MethodGet, "/accounts"}
	opGetAccount         = Operation{"get-account", http.MethodGet, "/accounts/{id}"}
	opUpdateAccount      = Operation{"update-account", http.MethodPatch, "/accounts/{id}"}
	opListTransactions   = Operation{"list-transactions", http.MethodGet, "/transactions"}
	opExportTransactions = Operation{"export-transactions", http.MethodGet, "/transactions/export"}
	opGetTransaction     = Operation{"get-transaction", http.MethodGet, "/transactions/{id}"}
	opUpdateTransaction  = Operation{"update-transaction", http.MethodPatch, "/transactions/{id}"}
	opDeleteTransaction  = Operation{"delete-transaction", http.MethodDelete, "/transactions/{id}"}
	opCreateImport       = Operation{"create-import", http.MethodPost, "/imports"}
	opListImports        = Operation{"list-imports", http.MethodGet, "/imports"}
	opGetImport          = Operation{"get-import", http.MethodGet, "/imports/{id}"}
)

// operations is every operation the client calls; the files of newer
// resources add theirs.
var operations = []Operation{
	opGetProfile, opUpdateProfile,
	opCreateAccount, opListAccounts, opGetAccount, opUpdateAccount,
	opListTransactions, opExportTransactions, opGetTransaction, opUpdateTransaction, opDeleteTransaction,
	opCreateImport, opListImports, opGetImport,
}

// Operations returns every operation the client calls, the table its
// contract test checks against the server's OpenAPI document.
func Operations() []Operation { return slices.Clone(operations) }
