package main

import (
	"bytes"
	"testing"
)

// printableASCII must find a control byte, DEL or a byte of UTF-8 at any
// place of a cell, whatever surrounds it.
func TestPrintableASCII(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '~', 0x1f, 0x7f, 0x80, 0xff} {
		for n := range 20 {
			for pos := range n {
				for c := range 256 {
					b := bytes.Repeat([]byte{fill}, n)
					b[pos] = byte(c)
					want := true
					for _, x := range b {
						if x < 0x20 || x >= 0x7f {
							want = false
						}
					}
					if got := printableASCII(string(b)); got != want {
						t.Fatalf("%q: printableASCII %v", b, got)
					}
				}
			}
		}
	}
}
