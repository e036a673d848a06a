// std::map, std::string, std::sort, std::unordered_map (printed sorted),
// std::set, std::deque and algorithms.
#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

int main() {
  const char* text = "the quick brown fox jumps over the lazy dog the fox";
  std::map<std::string, int> freq;
  std::unordered_map<std::string, int> ufreq;
  std::string word;
  for (const char* p = text;; p++) {
    if (*p == ' ' || *p == 0) {
      if (!word.empty()) { freq[word]++; ufreq[word]++; }
      word.clear();
      if (*p == 0) break;
    } else {
      word += *p;
    }
  }
  for (auto& [w, n] : freq) std::printf("%s=%d ", w.c_str(), n);
  std::printf("\n");
  std::vector<std::pair<std::string, int>> u(ufreq.begin(), ufreq.end());
  std::sort(u.begin(), u.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  for (auto& [w, n] : u) std::printf("%s:%d ", w.c_str(), n);
  std::printf("\n");
  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), -7);
  std::sort(v.begin(), v.end(), [](int a, int b) { return (a * a) < (b * b) || ((a * a) == (b * b) && a < b); });
  for (int x : v) std::printf("%d ", x);
  std::printf("\n");
  std::set<std::string> s{"delta", "alpha", "charlie", "bravo", "alpha"};
  std::string joined;
  for (auto& x : s) joined += (joined.empty() ? "" : ",") + x;
  std::printf("set: %s (%zu)\n", joined.c_str(), s.size());
  std::deque<int> d;
  for (int i = 0; i < 5; i++) { d.push_back(i); d.push_front(-i); }
  std::printf("deque sum=%d front=%d back=%d\n", std::accumulate(d.begin(), d.end(), 0), d.front(), d.back());
  std::string str = "Hello, Linker";
  std::reverse(str.begin(), str.end());
  std::transform(str.begin(), str.end(), str.begin(), [](char c) { return (char)(c ^ 0x20 * (c >= 'A')); });
  std::printf("%s find=%zu\n", str.c_str(), str.find("OLLE"));
  return 0;
}
