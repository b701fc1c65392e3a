#!/usr/bin/python3
"""shard_matrix_test.py: the CI workflow's regression matrix and the Slurm array each cover shards 1..N exactly once, and the merge waits for all of them."""
import re
import sys

import yaml


def fail(message):
    sys.exit(f"shard_matrix_test.py: {message}")


def check_workflow(path):
    with open(path, encoding="utf-8") as file:
        workflow = yaml.safe_load(file)
    jobs = workflow.get("jobs") or fail(f"{path}: no jobs")
    sharded = {}
    for name, job in jobs.items():
        for step in job.get("steps", []):
            match = re.search(r"make regress SHARD=\$\{\{ *matrix\.shard *\}\}/(\d+)\b", step.get("run", ""))
            if match:
                sharded[name] = int(match.group(1))
    if len(sharded) != 1:
        fail(f"{path}: expected one job running make regress SHARD=${{{{ matrix.shard }}}}/N, found {sorted(sharded)}")
    (job_name, count), = sharded.items()
    shards = jobs[job_name].get("strategy", {}).get("matrix", {}).get("shard")
    if not isinstance(shards, list) or any(not isinstance(s, int) for s in shards):
        fail(f"{path}: job {job_name}: matrix.shard must be a list of shard numbers, got {shards!r}")
    if sorted(shards) != list(range(1, count + 1)) or len(set(shards)) != len(shards):
        fail(f"{path}: job {job_name} runs shards {shards} of {count}: each of 1..{count} must appear once")
    if jobs[job_name].get("strategy", {}).get("matrix", {}).keys() - {"shard"}:
        fail(f"{path}: job {job_name}: another matrix axis would run shards more than once")
    mergers = [name for name, job in jobs.items()
               if any("make regress-merge" in step.get("run", "") for step in job.get("steps", []))]
    if len(mergers) != 1:
        fail(f"{path}: expected one job running make regress-merge, found {mergers}")
    needs = jobs[mergers[0]].get("needs", [])
    needs = [needs] if isinstance(needs, str) else needs
    if job_name not in needs:
        fail(f"{path}: the merge job {mergers[0]} does not wait for {job_name} (needs: {needs})")
    if jobs[mergers[0]].get("if") != "always()":
        fail(f"{path}: the merge job must run when a shard failed (if: always())")
    return count


def check_slurm(path, count):
    with open(path, encoding="utf-8") as file:
        script = file.read()
    default = re.search(r"shards=\$\{REGRESS_SHARDS:-(\d+)\}", script)
    if default is None or int(default.group(1)) != count:
        fail(f"{path}: default shard count {default and default.group(1)}, the workflow runs {count}")
    if '--array="1-$shards"' not in script:
        fail(f"{path}: the job array must be 1-$shards")
    if not re.search(r'make regress SHARD="\$\{SLURM_ARRAY_TASK_ID[^}]*\}/\$shards"', script):
        fail(f"{path}: an array task must run make regress SHARD=<task id>/$shards")
    if not re.search(r'--dependency="afterany:\$\{array', script) or "make regress-merge" not in script:
        fail(f"{path}: the merge job must depend (afterany) on the array and run make regress-merge")


def main():
    workflow, slurm = sys.argv[1], sys.argv[2]
    count = check_workflow(workflow)
    check_slurm(slurm, count)
    print(f"{workflow}: shards 1..{count} once each, merge waits for them; {slurm}: array 1-{count}")


if __name__ == "__main__":
    main()
