// Package ports declares the driven ports of Scale: the interfaces the core
// needs from the outside world (storage, queue, model, clock).
//
// Rules every port shares:
//   - the context comes first and is honoured;
//   - implementations are safe for concurrent use and keep no reference to
//     the slices they are given or return;
//   - every method that reads or writes user data takes the user, and no
//     implementation ever returns or changes another user's rows: a record of
//     another user is reported exactly like a record that does not exist;
//   - errors are *scale.Error values with a Kind (NotFound, Conflict,
//     Unavailable, ...), never infrastructure types;
//   - no infrastructure type (pgx, asynq, gomlx, huma) crosses a port.
//
// Package porttest holds one contract suite per port; every adapter runs the
// same suite.
package ports
