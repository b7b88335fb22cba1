package storage

// putRaw writes a key outside the typed methods: how tests plant keys that
// break the layout.
func (tx *Tx) putRaw(k, val []byte) error { return tx.set(k, val, "raw key") }
