package ingest

import (
	"errors"
	"sync"
	"sync/atomic"
)

// ErrWriterClosed is returned by Writer.Submit after Close.
var ErrWriterClosed = errors.New("ingest: archive writer closed")

// WriterOptions configure a Writer.
type WriterOptions[T any] struct {
	// MaxBatch is the most items one flush receives (default 64).
	MaxBatch int
	// Queue is how many submitted items may wait for the writer (default
	// MaxBatch: the writer finds a full batch waiting when it finishes the
	// last; a longer queue costs memory and gains nothing).
	Queue int
	// MaxBytes bounds the bytes (as Size counts them) of the items waiting;
	// one item larger than that waits until the queue is empty. 0: no bound.
	MaxBytes int64
	// Size returns an item's bytes for MaxBytes (nil: 0).
	Size func(T) int64
}

// Writer is the one group-commit loop of the pipeline: items submitted from
// any goroutine are handed, in batches of what arrived together, to a flush
// function that a single writer goroutine calls (one transaction each).
//
// Submit returns once the item is queued, not once it is durable; Close
// flushes everything queued before it returns. The first failed flush makes
// every later Submit, and Close, return its error, which stops the run;
// batches already queued are still flushed (each is its own transaction).
// What the failed batch held was not committed, which the durability
// protocol (docs/ingest.md) makes safe: it is fetched again on resume.
type Writer[T any] struct {
	flush    func([]T) error
	opts     WriterOptions[T]
	in       chan item[T]
	budget   *byteBudget
	closing  chan struct{}
	done     chan struct{}
	closeErr error // first failed flush; written by the writer goroutine only
	failed   atomic.Pointer[error]
	failedc  chan struct{} // closed by the first failed flush
	once     sync.Once
}

type item[T any] struct {
	v     T
	bytes int64
}

// NewWriter starts a Writer whose goroutine calls flush with each batch.
// flush must not retain the slice.
func NewWriter[T any](opts WriterOptions[T], flush func(batch []T) error) *Writer[T] {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 64
	}
	if opts.Queue <= 0 {
		opts.Queue = opts.MaxBatch
	}
	w := &Writer[T]{
		flush: flush, opts: opts,
		in:      make(chan item[T], opts.Queue),
		closing: make(chan struct{}),
		done:    make(chan struct{}),
		failedc: make(chan struct{}),
	}
	if opts.MaxBytes > 0 {
		w.budget = newByteBudget(opts.MaxBytes)
	}
	go w.loop()
	return w
}

// Submit queues v for the writer. It blocks while the queue is full (also
// when the caller's context ended: a fetched page is not dropped) and
// returns the error of an earlier failed flush, if any, or ErrWriterClosed.
func (w *Writer[T]) Submit(v T) error {
	if err := w.Err(); err != nil {
		return err
	}
	it := item[T]{v: v}
	if w.budget != nil && w.opts.Size != nil {
		it.bytes = w.opts.Size(v)
		w.budget.acquire(it.bytes)
	}
	select {
	case <-w.closing:
		w.release(it.bytes)
		return ErrWriterClosed
	default:
	}
	select {
	case w.in <- it:
		return nil
	case <-w.closing:
		w.release(it.bytes)
		return ErrWriterClosed
	}
}

// Err returns the error of the first failed flush, or nil.
func (w *Writer[T]) Err() error {
	if e := w.failed.Load(); e != nil {
		return *e
	}
	return nil
}

// Failed is closed when a flush fails: a producer that may submit nothing
// more (the last pages of a crawl) learns of the failure here, not from a
// later Submit.
func (w *Writer[T]) Failed() <-chan struct{} { return w.failedc }

// Close flushes every queued item, stops the writer and returns the error
// of the first failed flush, if any. Call it after the last Submit returned.
func (w *Writer[T]) Close() error {
	w.once.Do(func() { close(w.closing) })
	<-w.done
	return w.closeErr
}

func (w *Writer[T]) release(n int64) {
	if w.budget != nil {
		w.budget.release(n)
	}
}

func (w *Writer[T]) loop() {
	defer close(w.done)
	batch := make([]item[T], 0, w.opts.MaxBatch)
	for {
		var first item[T]
		select {
		case first = <-w.in:
		case <-w.closing:
			// Drain whatever is still queued, then stop.
			batch = batch[:0]
			for {
				select {
				case it := <-w.in:
					batch = append(batch, it)
					if len(batch) == w.opts.MaxBatch {
						w.write(batch)
						batch = batch[:0]
					}
				default:
					if len(batch) > 0 {
						w.write(batch)
					}
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < w.opts.MaxBatch {
			select {
			case it := <-w.in:
				batch = append(batch, it)
			default:
				break fill
			}
		}
		w.write(batch)
	}
}

func (w *Writer[T]) write(batch []item[T]) {
	vs := make([]T, len(batch))
	var held int64
	for i, it := range batch {
		vs[i] = it.v
		held += it.bytes
	}
	// The batch array is reused: drop its references so no body outlives
	// its commit.
	clear(batch)
	defer w.release(held)
	if err := w.flush(vs); err != nil && w.closeErr == nil {
		w.closeErr = err
		w.failed.CompareAndSwap(nil, &err)
		close(w.failedc)
	}
}

// byteBudget is a counting semaphore over bytes.
type byteBudget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	used  int64
	limit int64
}

func newByteBudget(limit int64) *byteBudget {
	b := &byteBudget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes fit (or nothing is held) and takes them.
func (b *byteBudget) acquire(n int64) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.limit {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
