package report

import (
	"encoding/hex"
	"time"
)

// cell is one variant's result on one case × repeat, in 40 bytes: a
// long evaluation keeps one per call until its report. Its scores are in
// Results.scores.
type cell struct {
	latency time.Duration
	cost    float64
	in, out int32
	// id is the entry's ID as NewLogID makes it (24 lowercase hex
	// digits), packed; another ID is kept in Results.oddIDs.
	id    [packedIDLen]byte
	flags cellFlags
}

type cellFlags uint8

const (
	cellPresent  cellFlags = 1 << iota // an entry counts here
	cellErr                            // the call failed
	cellCached                         // answered from the response cache
	cellPackedID                       // id holds the entry's ID
)

func (c *cell) has(f cellFlags) bool { return c.flags&f != 0 }

func (c *cell) set(f cellFlags, on bool) {
	if on {
		c.flags |= f
	} else {
		c.flags &^= f
	}
}

func (c *cell) present() bool { return c.has(cellPresent) }
func (c *cell) err() bool     { return c.has(cellErr) }
func (c *cell) cached() bool  { return c.has(cellCached) }

const packedIDLen = 12

// packID packs id into p when it is 24 lowercase hex digits, the shape
// of every ID NewLogID makes, so that unpackID gives it back exactly.
func packID(p *[packedIDLen]byte, id string) bool {
	if len(id) != 2*packedIDLen {
		return false
	}
	var packed [packedIDLen]byte
	for i := range packed {
		hi, ok1 := hexDigit(id[2*i])
		lo, ok2 := hexDigit(id[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		packed[i] = hi<<4 | lo
	}
	*p = packed
	return true
}

// hexDigit is the value of a lowercase hex digit.
func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func unpackID(p *[packedIDLen]byte) string { return hex.EncodeToString(p[:]) }
