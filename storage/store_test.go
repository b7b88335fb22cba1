package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestClosed(t *testing.T) {
	s := newStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := s.View(func(*Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
	if err := s.Update(func(*Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
}

// TestConcurrentUpdates has goroutines increment one counter: no
// read-modify-write may fail with a conflict or be lost.
func TestConcurrentUpdates(t *testing.T) {
	s := newStore(t)
	const workers, each = 4, 25
	var wg sync.WaitGroup
	var calls atomic.Int32
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				errs <- s.Update(func(tx *Tx) error {
					calls.Add(1)
					var n uint32
					v, err := tx.GetCache("counter")
					switch {
					case err == nil:
						n = binary.BigEndian.Uint32(v)
					case !errors.Is(err, ErrNotFound):
						return err
					}
					return tx.PutCache("counter", binary.BigEndian.AppendUint32(nil, n+1))
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != workers*each {
		t.Errorf("%d updates ran their functions %d times", workers*each, n)
	}
	view(t, s, func(tx *Tx) error {
		v, err := tx.GetCache("counter")
		if err != nil || binary.BigEndian.Uint32(v) != workers*each {
			t.Errorf("counter = %v, %v; want %d", v, err, workers*each)
		}
		return nil
	})
}

func TestBadgerLogger(t *testing.T) {
	var buf bytes.Buffer
	l := slogLogger{slog.New(slog.NewTextHandler(&buf, nil))}
	l.Infof("noise %d", 1)
	l.Debugf("noise %d", 2)
	l.Errorf("Received err: Cannot acquire directory lock on %q.  Another process is using this Badger database.\n", "/x")
	l.Errorf("Received err: Log truncate required to run DB. This might result in data loss. Cleaning up...\n")
	l.Warningf("disk is slow %d\nsecond line", 3)
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, `level=WARN msg="disk is slow 3" component=badger`) {
		t.Errorf("logged %q, want only the warning's first line", out)
	}
}
