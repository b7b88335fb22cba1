package workspace

import (
	"runtime"
	"sync"
)

// promptRecords are prompt records read by a scan, decoded afterwards on
// every core: decoding was the largest part of listing 10,000 prompts,
// and the scan itself cannot be split.
type promptRecords struct {
	names []string
	raws  [][]byte
}

// add keeps a record: a ScanPrompts callback (its values are the caller's
// to keep).
func (r *promptRecords) add(name string, b []byte) error {
	r.names = append(r.names, name)
	r.raws = append(r.raws, b)
	return nil
}

// parallelFrom is the number of records below which decoding stays on one
// goroutine: starting others costs more than it saves.
const parallelFrom = 512

// decode decodes every record and returns, in scan order, the prompts
// wanted says to keep; the first record that does not decode is the
// error.
func (r *promptRecords) decode(wanted func(*Prompt) bool) ([]Prompt, error) {
	prompts := make([]Prompt, len(r.names))
	errs := make([]error, len(r.names))
	decodeRange := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			prompts[i], errs[i] = DecodePrompt(r.names[i], r.raws[i])
			if errs[i] != nil {
				return
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(r.names)/parallelFrom))
	var wg sync.WaitGroup
	per := (len(r.names) + workers - 1) / max(workers, 1)
	for lo := 0; lo < len(r.names); lo += per {
		hi := min(lo+per, len(r.names))
		wg.Go(func() { decodeRange(lo, hi) })
	}
	wg.Wait()
	kept := prompts[:0]
	for i := range prompts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if wanted(&prompts[i]) {
			kept = append(kept, prompts[i])
		}
	}
	if len(kept) == 0 {
		return nil, nil // as a listing that matched nothing always was
	}
	return kept, nil
}
