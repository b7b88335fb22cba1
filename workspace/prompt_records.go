package workspace

import "strings"

// promptListing decodes the prompt records a scan reads (handed over by
// a listingPipe), and keeps those wanted. Their strings are copied into a few large blocks (a
// stringArena) and their tag lists carved from one slab: a listing of
// 10,000 prompts made about ten allocations per prompt before, and copied
// every record whole to decode it after the scan.
type promptListing struct {
	wanted func(*Prompt) bool
	// visit, when set, is handed each prompt wanted instead of keeping it
	// (EachPrompt): the prompt is decoded in place, its strings sharing
	// the record's bytes and its tags and labels the previous prompt's
	// memory, so a listing that prints as it reads allocates nothing per
	// prompt.
	visit  func(*Prompt) error
	p      Prompt         // the prompt decoded: one for all, not one on the heap for each
	labels map[string]int // the labels of the prompt visited
	// blocks hold the prompts kept, in order: appending to one slice grew
	// it 1.25 times at a time, and those copies touched five times the
	// memory of the result.
	blocks [][]Prompt
	n      int
	text   stringArena
	slab   []string
}

// listingBlock is how many prompts a block holds (about 80 KB).
const listingBlock = 512

// add decodes a record; name and val may be reused once it returns.
func (l *promptListing) add(name, val []byte) error {
	if l.visit != nil {
		return l.visitRecord(name, val)
	}
	if err := l.decode(name, val, promptScanner{b: val, arena: &l.text, slab: &l.slab}); err != nil {
		return err
	}
	if !l.wanted(&l.p) {
		return nil
	}
	if len(l.blocks) == 0 || len(l.blocks[len(l.blocks)-1]) == listingBlock {
		l.blocks = append(l.blocks, make([]Prompt, 0, listingBlock))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, l.p)
	l.n++
	return nil
}

// visitRecord decodes a record in place and hands it to l.visit when
// wanted.
func (l *promptListing) visitRecord(name, val []byte) error {
	l.slab = l.slab[:0]
	if err := l.decode(name, val, promptScanner{b: val, slab: &l.slab, borrow: &l.labels}); err != nil {
		return err
	}
	if !l.wanted(&l.p) {
		return nil
	}
	return l.visit(&l.p)
}

// decode decodes a record into l.p with d, the quick way, or with
// DecodePrompt when d turns the record down.
func (l *promptListing) decode(name, val []byte, d promptScanner) error {
	var ok bool
	if l.p, ok = d.prompt(); ok {
		return nil
	}
	var err error
	l.p, err = DecodePrompt(string(name), val)
	return err
}

// prompts are the prompts kept, in scan order; nil when none were.
func (l *promptListing) prompts() []Prompt {
	if l.n == 0 {
		return nil // as a listing that matched nothing always was
	}
	if len(l.blocks) == 1 {
		return l.blocks[0]
	}
	out := make([]Prompt, 0, l.n)
	for _, b := range l.blocks {
		out = append(out, b...)
	}
	return out
}

// stringArena keeps many short strings in large blocks: each string is a
// piece of a strings.Builder's text, which the Builder never changes once
// written. A block that cannot take the next string is left as it is and
// a new one begun.
type stringArena struct {
	b strings.Builder
}

// arenaBlock is the size of a block; a longer string gets one of its own.
const arenaBlock = 64 << 10

func (a *stringArena) add(s []byte) string {
	if len(s) == 0 {
		return ""
	}
	if a.b.Cap()-a.b.Len() < len(s) {
		a.b = strings.Builder{}
		a.b.Grow(max(arenaBlock, len(s)))
	}
	start := a.b.Len()
	a.b.Write(s)
	return a.b.String()[start:]
}
