# SPDX-License-Identifier: MIT
# compat-cover.sh's declaration lister. Input: the tokens of a preprocessed
# header's code, one a line (identifiers, numbers, brackets, braces,
# parentheses, ';', ',' and '='). Output, a declaration a line:
#   S struct TAG            a struct or union with a tag
#   F struct TAG MEMBER     a member reachable as x.MEMBER (the members of
#                           anonymous structs and unions are flattened);
#                           "flex" after it for a flexible array member
#   T enum TAG              an enum tag
#   E NAME                  an enumerator
# Function bodies and anything else between braces are skipped.

function ident(t) { return t ~ /^[A-Za-z_][A-Za-z0-9_]*$/ }

# Index past the "}" that closes the block whose "{" is just before i.
function skip_block(i,    depth) {
	for (depth = 1; i <= n && depth; i++)
		depth += (tok[i] == "{") - (tok[i] == "}")
	return i
}

# Index past the ";" that ends a declaration (after a "}" or an enum).
function skip_decl(i) {
	while (i <= n && tok[i] != ";")
		i++
	return i + 1
}

# The names declared by tokens d[1..nd] (one member declaration), each
# followed by " flex" for "[ ]", separated by newlines.
function declarators(    i, out, name, flex, paren) {
	out = ""
	name = ""
	flex = ""
	paren = 0
	for (i = 1; i <= nd; i++) {
		if (d[i] == "__attribute__") {
			# skip __attribute__((...))
			for (i++; i <= nd; i++) {
				paren += (d[i] == "(") - (d[i] == ")")
				if (!paren)
					break
			}
			continue
		}
		if (d[i] == "[") {
			if (d[i + 1] == "]")
				flex = " flex"
			while (i <= nd && d[i] != "]")
				i++
			continue
		}
		if (d[i] == ",") {
			if (name != "")
				out = out name flex "\n"
			name = ""
			flex = ""
			continue
		}
		if (ident(d[i]))
			name = d[i]
	}
	if (name != "")
		out = out name flex "\n"
	return out
}

# Parse the members of a struct or union whose "{" is just before i; sets
# found to its member names (newline-separated) and returns the index past
# its "}".
function record(i,    mine, inner) {
	mine = ""
	nd = 0
	while (i <= n) {
		if (tok[i] == "}") {
			found = mine
			return i + 1
		}
		if (tok[i] == "{") {
			# A nested struct/union: its members are ours when it has
			# no name of its own.
			i = record(i + 1)
			inner = found
			nd = 0
			while (i <= n && tok[i] != ";")
				d[++nd] = tok[i++]
			i++
			mine = mine (declarators() != "" ? declarators() : inner)
			nd = 0
			continue
		}
		if (tok[i] == ";") {
			mine = mine declarators()
			nd = 0
			i++
			continue
		}
		d[++nd] = tok[i++]
	}
	found = mine
	return i
}

# Enumerators of the enum whose "{" is just before i.
function enum_body(i,    first) {
	first = 1
	for (; i <= n && tok[i] != "}"; i++) {
		if (first && ident(tok[i]))
			print "E " tok[i]
		first = 0
		if (tok[i] == ",")
			first = 1
		else if (tok[i] == "(")
			i = skip_parens(i + 1) - 1
	}
	return i + 1
}

function skip_parens(i,    depth) {
	for (depth = 1; i <= n && depth; i++)
		depth += (tok[i] == "(") - (tok[i] == ")")
	return i
}

{ tok[++n] = $0 }

END {
	i = 1
	while (i <= n) {
		if (tok[i] != "{") {
			i++
			continue
		}
		if ((tok[i - 2] == "struct" || tok[i - 2] == "union") && ident(tok[i - 1])) {
			type = tok[i - 2] " " tok[i - 1]
			i = record(i + 1)
			print "S " type
			m = split(found, names, "\n")
			for (k = 1; k < m; k++)
				print "F " type " " names[k]
			i = skip_decl(i)
		} else if (tok[i - 2] == "enum" && ident(tok[i - 1])) {
			print "T enum " tok[i - 1]
			i = skip_decl(enum_body(i + 1))
		} else if (tok[i - 1] == "enum") {
			i = skip_decl(enum_body(i + 1))
		} else {
			i = skip_block(i + 1)
		}
	}
}
