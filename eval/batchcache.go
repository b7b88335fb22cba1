package eval

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"promptbench/eval/provider"
)

// RequestKey is the cache key of a request, or "" when its model is not
// written provider/model.
func RequestKey(req Request) string {
	pn, m, err := provider.SplitModel(req.Params.Model)
	if err != nil {
		return ""
	}
	return CacheKey(pn, m, req.Params, req.Messages)
}

// BatchCache serves a run's cache lookups from entries read before the run
// and keeps the results it adds until the caller writes them together with
// the run's log entries: one read and one write of the store for a whole
// batch, instead of an open of the store per call.
type BatchCache struct {
	mu    sync.Mutex
	known map[string][]byte
	added map[string][]byte
}

// NewBatchCache returns a cache holding the stored entries known, keyed by
// RequestKey (missing keys are simply misses).
func NewBatchCache(known map[string][]byte) *BatchCache {
	return &BatchCache{known: known, added: map[string][]byte{}}
}

// Get returns the stored or added result under key.
func (c *BatchCache) Get(key string) (Result, bool, error) {
	c.mu.Lock()
	b, ok := c.known[key]
	if !ok {
		b, ok = c.added[key]
	}
	c.mu.Unlock()
	if !ok {
		return Result{}, false, nil
	}
	var res Result
	if err := json.Unmarshal(b, &res); err != nil {
		// An entry that no longer decodes is a miss, not a failure.
		return Result{}, false, nil
	}
	return res, true, nil
}

// Put keeps a successful result for Added.
func (c *BatchCache) Put(key string, res Result) error {
	if res.Err != nil {
		return nil
	}
	res.Cached = false
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode cached result: %w", err)
	}
	c.mu.Lock()
	c.added[key] = b
	c.mu.Unlock()
	return nil
}

// Added returns the encoded entries Put since the cache was made, by key,
// for the caller to store.
func (c *BatchCache) Added() map[string][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.added)
}

// Keys returns the cache keys of calls, sorted and without "" or repeats:
// what to read before a run.
func Keys(calls []Call) []string {
	var keys []string
	for _, c := range calls {
		if k := RequestKey(c.Request); k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
