package jobs

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunKeepsRunningAfterFailuresAndPanicsUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var failing, panicking atomic.Int32
	done := make(chan struct{})
	go func() {
		Run(ctx, []Job{
			{Name: "fails", Every: time.Millisecond, Run: func(context.Context, time.Time) error {
				failing.Add(1)
				return errors.New("database hiccup")
			}},
			{Name: "panics", Every: time.Millisecond, Run: func(context.Context, time.Time) error {
				panicking.Add(1)
				panic("bug")
			}},
		})
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for failing.Load() < 3 || panicking.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("jobs stopped: failing ran %d times, panicking %d", failing.Load(), panicking.Load())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}
