package relevance

// phrase is one compiled form of a term: its words, folded (or, for a
// case-sensitive term, only normalised), joined by single spaces.
type phrase struct {
	term   int
	key    string
	prefix bool // the last word may be followed by more letters
}

// trie finds every phrase that starts at a given token by walking the
// token's bytes once, so scanning a text costs a few byte steps per word
// whatever the number of terms. Words of a phrase are separated in the
// trie by a space byte, which the walk follows across a soft gap between
// two tokens; across a join gap (one hyphen, or a hyphen and a line break)
// it also continues straight into the next word, so "menneske-\nhandel"
// matches "menneskehandel".
type trie struct {
	root    [256]int32 // node index of each first byte; 0 = none
	nodes   []trieNode // nodes[0] is the root
	phrases []phrase
	cased   bool // walk the normalised bytes rather than the folded ones
}

type trieNode struct {
	edges []trieEdge // sorted by b
	ends  []int32    // phrases whose key ends here
}

type trieEdge struct {
	b     byte
	child int32
}

func newTrie(cased bool) *trie {
	return &trie{nodes: make([]trieNode, 1), cased: cased}
}

func (t *trie) add(p phrase) {
	n := int32(0)
	for i := 0; i < len(p.key); i++ {
		c := t.child(n, p.key[i])
		if c == 0 {
			c = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{})
			t.link(n, p.key[i], c)
		}
		n = c
	}
	t.nodes[n].ends = append(t.nodes[n].ends, int32(len(t.phrases)))
	t.phrases = append(t.phrases, p)
}

func (t *trie) link(n int32, b byte, c int32) {
	if n == 0 {
		t.root[b] = c
		return
	}
	edges := t.nodes[n].edges
	i := len(edges)
	for i > 0 && edges[i-1].b > b {
		i--
	}
	edges = append(edges, trieEdge{})
	copy(edges[i+1:], edges[i:])
	edges[i] = trieEdge{b, c}
	t.nodes[n].edges = edges
}

// child returns the node reached from n by b, or 0.
func (t *trie) child(n int32, b byte) int32 {
	if n == 0 {
		return t.root[b]
	}
	edges := t.nodes[n].edges
	lo, hi := 0, len(edges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case edges[m].b < b:
			lo = m + 1
		case edges[m].b > b:
			hi = m
		default:
			return edges[m].child
		}
	}
	return 0
}

// hit is a phrase found starting at some token and ending in token last.
type hit struct {
	phrase *phrase
	last   int
}

// find appends to hits every phrase that starts at token first of x.
func (t *trie) find(x *text, first int, hits []hit) []hit {
	if len(t.phrases) == 0 {
		return hits
	}
	return t.walk(x, 0, first, hits)
}

func (t *trie) walk(x *text, n int32, tok int, hits []hit) []hit {
	tk := &x.tokens[tok]
	buf, start, end := x.fold, tk.fold0, tk.fold1
	if t.cased {
		buf, start, end = x.norm, tk.norm0, tk.norm1
	}
	for i := start; i < end; i++ {
		if n = t.child(n, buf[i]); n == 0 {
			return hits
		}
		if i+1 < end {
			for _, p := range t.nodes[n].ends {
				if t.phrases[p].prefix { // a word that begins with the form
					hits = append(hits, hit{&t.phrases[p], tok})
				}
			}
		}
	}
	for _, p := range t.nodes[n].ends {
		hits = append(hits, hit{&t.phrases[p], tok})
	}
	if tok+1 >= len(x.tokens) {
		return hits
	}
	switch tk.after {
	case gapJoin:
		hits = t.walk(x, n, tok+1, hits)
		fallthrough
	case gapSoft:
		if c := t.child(n, ' '); c != 0 {
			hits = t.walk(x, c, tok+1, hits)
		}
	}
	return hits
}
