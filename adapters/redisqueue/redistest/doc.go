// Package redistest gives tests a Redis queue of their own: a unique asynq
// queue name on the Redis at SCALE_TEST_REDIS_ADDR, whose keys are deleted
// when the test ends. Without the variable the test is skipped.
package redistest
