# SPDX-License-Identifier: GPL-2.0-only
# gen_tu.py N - writes a C++ translation unit of N template-heavy functions
# over libstdc++ containers to stdout: a large compile for cc1plus.
import sys

n = int(sys.argv[1])
keys = ["int", "long", "std::string", "unsigned", "short"]
vals = ["int", "long", "double", "std::string", "std::vector<int>", "std::pair<int, std::string>"]
print("#include <bits/stdc++.h>")
for i in range(n):
    k = keys[i % len(keys)]
    v = vals[(i * 7 + 3) % len(vals)]
    print(f"""
std::map<{k}, std::vector<{v}>> f{i}(const std::vector<{k}> &xs, const std::vector<{v}> &ys)
{{
	std::map<{k}, std::vector<{v}>> m;
	std::unordered_map<{k}, std::size_t> cnt;
	std::set<{k}> seen;
	for (std::size_t j = 0; j < xs.size(); ++j) {{
		m[xs[j]].push_back(ys[j % ys.size()]);
		cnt[xs[j]]++;
		seen.insert(xs[j]);
	}}
	for (auto &kv : m)
		std::stable_sort(kv.second.begin(), kv.second.end());
	std::regex r("[a-z]+{i}[0-9]*");
	std::ostringstream os;
	os << seen.size() << ' ' << cnt.size();
	(void)r;
	return m;
}}""")
