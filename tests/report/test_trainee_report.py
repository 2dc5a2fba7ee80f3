"""The trainee report links each listed call to its transcript in the same file, and a check
no call judged reads "n/a"."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.report import trainee_report
from simulator.storage import CallStore
from tests.progress.histories import check_history, save
from tests.report.workshop_data import LONG_NAME

runner = CliRunner()


def test_each_call_links_to_its_transcript(workshop_dir, tmp_path):
    out = tmp_path / "ana.html"
    done = runner.invoke(app, ["report", "--trainee", LONG_NAME.lower(), "--html", str(out),
                               "--data-dir", str(workshop_dir)])
    assert (done.exit_code, done.stdout) == (0, f"Wrote {out}\n")
    page = out.read_text()
    with CallStore.open(workshop_dir) as store:
        calls = [store.get_call(c.call_id) for c in store.list_calls(trainee=LONG_NAME)]
    assert len(calls) == 3
    links = re.findall(r'<a href="#(call-[^"]+)">([^<]+)</a>',
                       re.search(r'<section id="calls">.*?</section>', page, re.DOTALL)[0])
    assert links == [(f"call-{c.call_id}", c.call_id) for c in calls]  # newest first
    for record in calls:
        target = re.search(rf'<section id="call-{record.call_id}">(.*?)</section>', page,
                           re.DOTALL)
        assert target is not None
        first_reply = next(t.text for t in record.turns if t.speaker == "trainee")
        words = re.sub(r"<[^>]+>", "", target[1])
        assert first_reply.replace('"', "&quot;") in words
        assert '<a href="#calls">back to the calls</a>' in target[1]
    assert len(re.findall(r'id="call-', page)) == len(calls)  # each id once: anchors are unique


def test_a_check_no_call_judged_reads_n_a(tmp_path):
    with CallStore.open(save(tmp_path, check_history("gratitude", "NNN"))) as store:
        page = trainee_report(store, "ana")
    assert ('<li class="rate na"><span class="label">Thank them for the &quot;no&quot;</span>'
            in page)
    assert '<span class="value">n/a</span>' in page and "no judge" not in page
    rows = re.findall(r"<tr><td>Thank them for the &quot;no&quot;</td>(.*?)</tr>", page)
    assert re.findall(r'<td class="num">([^<]*)</td>', rows[0])[:3] == ["n/a", "0/0", "3"]
