package ingest

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// TestWriterGroupsAndDrains: items submitted while a flush runs share the
// next one, every item is flushed exactly once in order, and Close drains.
func TestWriterGroupsAndDrains(t *testing.T) {
	var (
		mu      sync.Mutex
		got     []int
		batches int
	)
	w := NewWriter(WriterOptions[int]{MaxBatch: 16}, func(b []int) error {
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		got = append(got, b...)
		batches++
		mu.Unlock()
		if len(b) > 16 {
			t.Errorf("batch of %d, max 16", len(b))
		}
		return nil
	})
	const n = 500
	for i := range n {
		if err := w.Submit(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("flushed %d items, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("item %d is %d: order lost", i, v)
		}
	}
	if batches >= n/2 {
		t.Errorf("%d flushes for %d items: no grouping", batches, n)
	}
	if err := w.Submit(1); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("Submit after Close: %v, want ErrWriterClosed", err)
	}
}

// TestWriterByteBudget: with MaxBytes, no more than that many bytes wait
// (one larger item alone excepted).
func TestWriterByteBudget(t *testing.T) {
	var mu sync.Mutex
	var peak, held int64
	release := make(chan struct{})
	w := NewWriter(WriterOptions[int64]{MaxBatch: 4, Queue: 64, MaxBytes: 100, Size: func(v int64) int64 { return v }},
		func(b []int64) error {
			<-release
			mu.Lock()
			for _, v := range b {
				held -= v
			}
			mu.Unlock()
			return nil
		})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 40 {
			mu.Lock()
			held += 30
			peak = max(peak, held)
			mu.Unlock()
			if err := w.Submit(30); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	blocked := held
	mu.Unlock()
	close(release)
	<-done
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Three items of 30 fit in 100; the fourth is counted before Submit
	// blocks on the budget.
	if blocked > 4*30 {
		t.Errorf("%d bytes submitted while the writer was stuck, want ≤ 120 (budget 100)", blocked)
	}
}

// TestWriterFailure: the first failed flush is returned by later Submits
// and by Close.
func TestWriterFailure(t *testing.T) {
	boom := errors.New("boom")
	w := NewWriter(WriterOptions[int]{}, func(b []int) error { return boom })
	_ = w.Submit(1)
	deadline := time.Now().Add(5 * time.Second)
	for w.Err() == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := w.Submit(2); !errors.Is(err, boom) {
		t.Errorf("Submit after failure: %v", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close: %v", err)
	}
}
