package eval_test

import (
	"sync"

	"promptbench/eval"
)

// memCache is an in-memory eval.Cache for tests.
type memCache struct {
	mu   sync.Mutex
	m    map[string]eval.Result
	gets int
	err  error // returned by every call when set
}

func newMemCache() *memCache { return &memCache{m: map[string]eval.Result{}} }

func (c *memCache) Get(key string) (eval.Result, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets++
	if c.err != nil {
		return eval.Result{}, false, c.err
	}
	r, ok := c.m[key]
	return r, ok, nil
}

func (c *memCache) Put(key string, r eval.Result) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.m[key] = r
	return nil
}

func (c *memCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
