package workspace

import (
	"encoding/binary"
	"errors"
)

// listingPipe hands the records a scan reads to a promptListing decoding
// them on a second goroutine, so that on a machine with two cores or more
// decoding overlaps the scan instead of following it: the scan is the
// larger part of listing 10,000 prompts, decoding the next. Records go
// over in chunks of about 64 KB, which come back to be filled again, so
// the copies touch little new memory. A listing of a single chunk is
// decoded where it was read, without a goroutine.
type listingPipe struct {
	l       *promptListing
	chunk   []byte // records not yet handed over, each as its name's length, name, value's length, value
	full    chan []byte
	free    chan []byte
	done    chan error // the decoder's first error, once it has decoded every chunk
	started bool
}

// pipeChunk is the size from which a chunk is handed over.
const pipeChunk = 64 << 10

func newListingPipe(l *promptListing) *listingPipe {
	return &listingPipe{l: l, chunk: make([]byte, 0, pipeChunk+1024)}
}

// add copies a record into the chunk: a ScanPromptsBorrowed callback.
func (p *listingPipe) add(name, val []byte) error {
	p.chunk = binary.AppendUvarint(p.chunk, uint64(len(name)))
	p.chunk = append(p.chunk, name...)
	p.chunk = binary.AppendUvarint(p.chunk, uint64(len(val)))
	p.chunk = append(p.chunk, val...)
	if len(p.chunk) >= pipeChunk {
		p.handOver()
	}
	return nil
}

// handOver sends the chunk to the decoder, starting it the first time,
// and takes an empty chunk.
func (p *listingPipe) handOver() {
	if !p.started {
		p.started = true
		p.full = make(chan []byte, 4)
		p.free = make(chan []byte, 6)
		p.done = make(chan error, 1)
		go p.decode()
	}
	p.full <- p.chunk
	select {
	case c := <-p.free:
		p.chunk = c[:0]
	default:
		p.chunk = make([]byte, 0, pipeChunk+1024)
	}
}

// decode decodes chunks until the scan has finished; after an error it
// only drains them.
func (p *listingPipe) decode() {
	var first error
	for c := range p.full {
		if first == nil {
			first = p.l.decodeChunk(c)
		}
		select {
		case p.free <- c:
		default:
		}
	}
	p.done <- first
}

// finish is called once the scan has ended, with its error: it decodes
// or hands over what is left, waits for the decoder and returns the first
// error of the two.
func (p *listingPipe) finish(scanErr error) error {
	if !p.started {
		if scanErr != nil {
			return scanErr
		}
		return p.l.decodeChunk(p.chunk)
	}
	if scanErr == nil && len(p.chunk) > 0 {
		p.full <- p.chunk
	}
	close(p.full)
	err := <-p.done
	if scanErr != nil {
		return scanErr
	}
	return err
}

var errBadChunk = errors.New("listing: malformed chunk of records")

// decodeChunk decodes the records of a chunk in order.
func (l *promptListing) decodeChunk(c []byte) error {
	for len(c) > 0 {
		var name, val []byte
		var ok bool
		if name, c, ok = cutRecordPiece(c); !ok {
			return errBadChunk
		}
		if val, c, ok = cutRecordPiece(c); !ok {
			return errBadChunk
		}
		if err := l.add(name, val); err != nil {
			return err
		}
	}
	return nil
}

// cutRecordPiece reads one length-prefixed piece off the front of c.
func cutRecordPiece(c []byte) (piece, rest []byte, ok bool) {
	n, k := binary.Uvarint(c)
	if k <= 0 || uint64(len(c)-k) < n {
		return nil, nil, false
	}
	return c[k : k+int(n)], c[k+int(n):], true
}
