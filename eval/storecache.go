package eval

import (
	"context"
	"encoding/json"
	"fmt"

	"promptbench/workspace"
)

// StoreCache is the response cache kept in the workspace's store. Each Get
// and Put opens the store for just that operation, like every other
// command, so another process can use the workspace in between.
type StoreCache struct {
	ctx context.Context
	ws  *workspace.Workspace
}

// NewStoreCache returns the store-backed cache of ws.
func NewStoreCache(ctx context.Context, ws *workspace.Workspace) *StoreCache {
	return &StoreCache{ctx: ctx, ws: ws}
}

// Get returns the cached result of the request key names.
func (c *StoreCache) Get(key string) (Result, bool, error) {
	b, ok, err := c.ws.CacheGet(c.ctx, key)
	if err != nil || !ok {
		return Result{}, false, err
	}
	var res Result
	if err := json.Unmarshal(b, &res); err != nil {
		// A cache entry that no longer decodes is a miss, not a failure.
		return Result{}, false, nil
	}
	return res, true, nil
}

// Put stores a successful result.
func (c *StoreCache) Put(key string, res Result) error {
	if res.Err != nil {
		return nil
	}
	res.Cached = false
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode cached result: %w", err)
	}
	return c.ws.CachePut(c.ctx, key, b)
}
