#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
# Count test cases in a VM console log written by scripts/guest-init.sh.
# Inside each XURING-BEGIN/END block, TAP lines from the kselftest harness are
# cases ("ok N x", "ok N x # SKIP", "not ok N x"); a binary that prints no TAP
# is one case judged by its exit code (0 pass, 4 skip). Cases missing from a
# TAP plan, a non-zero exit with no failing case, a block that never ends,
# XURING-LANEFAIL lines and a missing XURING-RESULT each count as failed.
#
# usage: awk -v lane=L [-v vm_rc=N] -f parse-console.awk console.log
# prints a report; the last line is "RESULT pass=N fail=N skip=N"

function fail(n, why) {
	nfail += n
	reasons[++nreasons] = why
}

# Show a failing test's own words first, most telling first, as readers
# (and trackers that fold long output) see the top: what the harness says
# at a source line (assertions, TH_LOG) and the "not ok" lines; then its
# other TAP and "#" lines (the head and the tail when there are many); then
# the start of anything else it or the kernel printed, which can be a flood.
function excerpt(text,    n, i, lines, key, nkey, tap, ntap, other, nother) {
	n = split(text, lines, "\n")
	for (i = 1; i <= n; i++) {
		if (lines[i] == "")
			continue
		if (lines[i] ~ /^(# .*\.c:[0-9]+:|not ok )/)
			key[++nkey] = lines[i]
		else if (lines[i] ~ /^(#|ok |TAP |1\.\.)/)
			tap[++ntap] = lines[i]
		else
			other[++nother] = lines[i]
	}
	for (i = 1; i <= nkey && i <= 20; i++)
		print "       | " key[i]
	if (nkey > 20)
		print "       | ... (" nkey - 20 " more such lines)"
	for (i = 1; i <= ntap; i++) {
		if (ntap > 40 && i == 11) {
			print "       | ... (" ntap - 40 " lines)"
			i = ntap - 30
		}
		print "       | " tap[i]
	}
	for (i = 1; i <= nother && i <= 10; i++)
		print "       > " other[i]
	if (nother > 10)
		print "       > ... (" nother - 10 " more lines in the console log)"
}

function end_block(rc, ended, secs,    why, cases, p0, f0, s0) {
	p0 = pass; f0 = nfail; s0 = skip
	cases = bpass + bfail + bskip
	pass += bpass; skip += bskip; nfail += bfail
	if (!ended) {
		fail(plan > cases ? plan - cases : 1, "test " name " never finished (crash or VM timeout)")
	} else if (cases == 0) {
		if (rc == 0) pass++
		else if (rc == 4) skip++
		else fail(1, "test " name (rc == 124 ? " timed out" : " exited with " rc))
	} else {
		why = rc == 124 ? "timed out" : rc != 0 && rc != 4 ? "exited with " rc : ""
		# cases the plan promised but never reported are failed; if none are
		# missing, a timeout or a failing exit without a failing case is one
		if (plan > cases)
			fail(plan - cases, "test " name ": " (plan - cases) " of " plan \
			     " planned cases never reported" (why != "" ? " (" why ")" : ""))
		else if (why != "" && (rc == 124 || bfail == 0))
			fail(1, "test " name " " why (bfail ? "" : " without a failing case"))
	}
	printf "  %-4s %-28s %3d passed, %d failed, %d skipped%s\n", (nfail > f0 ? "FAIL" : "ok"),
		name, pass - p0, nfail - f0, skip - s0, (ended ? (secs != "" ? " (" secs "s)" : "") : " (unfinished)")
	if (nfail > f0)
		excerpt(btext)
	inblock = 0
}

{ sub(/\r+$/, "") }

/^XURING-BEGIN / {
	if (inblock)
		end_block(0, 0)
	inblock = 1; name = $2; bpass = bfail = bskip = plan = 0; btext = ""
	next
}

/^XURING-END / {
	rc = $3; sub(/^rc=/, "", rc)
	secs = $4; sub(/^secs=/, "", secs)
	if (inblock)
		end_block(rc + 0, 1, secs)
	next
}

/^XURING-CASE / {
	if ($2 == "ok") {
		pass++
		printf "  %-4s %s\n", "ok", $3
	} else {
		fail(1, "case " $3 " failed")
		printf "  %-4s %s\n", "FAIL", $3
	}
	next
}

/^XURING-LANEFAIL / {
	sub(/^XURING-LANEFAIL /, "")
	fail(1, $0)
	printf "  FAIL %s\n", $0
	next
}

/^XURING-DMESG: / {
	sub(/^XURING-DMESG: /, "")
	print "       ! " $0
	next
}

/^XURING-RESULT / { result = 1; next }
/^XURING-DONE/ { done = 1; next }
/Kernel panic - not syncing/ { panic = $0 }

inblock {
	btext = btext $0 "\n"
	if ($0 ~ /^ok [0-9]+/) {
		if (toupper($0) ~ /# *SKIP/) bskip++
		else bpass++
	} else if ($0 ~ /^not ok [0-9]+/) {
		bfail++
		t = $0; sub(/^not ok [0-9]+ */, "", t)
		reasons[++nreasons] = "test " name ": not ok " t
	} else if ($0 ~ /^1\.\.[0-9]+/) {
		plan = substr($0, 4) + 0
	}
}

END {
	if (inblock)
		end_block(0, 0)
	if (!result)
		fail(1, "no XURING-RESULT marker: the guest did not finish" \
		     (panic != "" ? " (" panic ")" : vm_rc == 124 ? " (VM timeout)" : \
		      vm_rc != "" && vm_rc != 0 ? " (qemu exit " vm_rc ")" : ""))
	else if (panic != "")
		fail(1, panic)
	if (nreasons) {
		print "  failures:"
		for (i = 1; i <= nreasons; i++)
			print "    - " reasons[i]
	}
	printf "RESULT pass=%d fail=%d skip=%d\n", pass, nfail, skip
}
