package workspace

import (
	"context"
	"errors"

	"promptbench/storage"
)

// CacheGet reads a cached model response by its canonical request key.
func (ws *Workspace) CacheGet(ctx context.Context, key string) ([]byte, bool, error) {
	var val []byte
	err := ws.view(ctx, func(tx *storage.Tx) error {
		b, err := tx.GetCache(key)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		val = b
		return err
	})
	return val, val != nil, err
}

// CachePut stores a model response under its canonical request key.
func (ws *Workspace) CachePut(ctx context.Context, key string, val []byte) error {
	return ws.update(ctx, func(tx *storage.Tx) error { return tx.PutCache(key, val) })
}
