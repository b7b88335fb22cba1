package report

import (
	"bytes"
	"hash/maphash"
	"strconv"
)

// caseKeys numbers a run's case keys (case ID, NUL, repeat in decimal) in
// the order they come, without a string or a map entry per key: the keys
// lie end to end in one byte array and an open-addressing table of their
// indexes finds them again. A long evaluation adds a few hundred thousand
// keys: as strings in a map they took about 60 bytes each, here about 20.
type caseKeys struct {
	seed  maphash.Seed
	bytes []byte   // every key, end to end
	ends  []uint32 // where key i ends in bytes
	slots []int32  // index+1 of the key hashed there; 0 is free
}

func newCaseKeys(capacity int) *caseKeys {
	k := &caseKeys{seed: maphash.MakeSeed(), ends: make([]uint32, 0, capacity), bytes: make([]byte, 0, 10*capacity)}
	k.slots = make([]int32, slotsFor(capacity))
	return k
}

// slotsFor is a power of two at least 4/3 of n: a table at most three
// quarters full keeps probes short.
func slotsFor(n int) int {
	s := 16
	for 3*s < 4*n {
		s *= 2
	}
	return s
}

func (k *caseKeys) len() int { return len(k.ends) }

// at is key i; the bytes are the table's own, not to be changed.
func (k *caseKeys) at(i int32) []byte {
	start := uint32(0)
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.bytes[start:k.ends[i]]
}

// index returns key's index, adding it when new.
func (k *caseKeys) index(key []byte) int32 {
	mask := uint64(len(k.slots) - 1)
	for s := maphash.Bytes(k.seed, key) & mask; ; s = (s + 1) & mask {
		switch i := k.slots[s]; {
		case i == 0:
			n := int32(len(k.ends))
			k.bytes = append(k.bytes, key...)
			k.ends = append(k.ends, uint32(len(k.bytes)))
			k.slots[s] = n + 1
			if 4*len(k.ends) > 3*len(k.slots) {
				k.grow()
			}
			return n
		case bytes.Equal(k.at(i-1), key):
			return i - 1
		}
	}
}

func (k *caseKeys) grow() {
	k.slots = make([]int32, 2*len(k.slots))
	mask := uint64(len(k.slots) - 1)
	for i := range int32(len(k.ends)) {
		s := maphash.Bytes(k.seed, k.at(i)) & mask
		for k.slots[s] != 0 {
			s = (s + 1) & mask
		}
		k.slots[s] = i + 1
	}
}

// appendCaseKey appends the key of a case and repeat to b.
func appendCaseKey(b []byte, id string, repeat int) []byte {
	b = append(b, id...)
	b = append(b, 0)
	return strconv.AppendInt(b, int64(repeat), 10)
}

// splitCaseKey returns the case ID and repeat of a key.
func splitCaseKey(k []byte) (string, int) {
	if i := bytes.LastIndexByte(k, 0); i >= 0 {
		n, _ := strconv.Atoi(string(k[i+1:]))
		return string(k[:i]), n
	}
	return string(k), 0
}
