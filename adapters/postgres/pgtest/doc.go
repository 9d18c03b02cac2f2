// Package pgtest gives tests of any package a fresh, migrated PostgreSQL
// database of their own.
//
// Set SCALE_TEST_POSTGRES_URL to a URL of a server where the user may create
// databases (postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable);
// without it, every helper skips the test with a message saying so.
//
// The first helper call of a process migrates a template database once;
// every test then gets CREATE DATABASE ... TEMPLATE of it (tens of
// milliseconds), dropped again in t.Cleanup, so tests never see each
// other's rows and leave nothing behind. Call Run from TestMain to drop the
// template when the package's tests finish; templates and databases that a
// killed run left behind are swept after an hour. Every database this
// package makes is named scale_test_*.
package pgtest
