// iostream: cout with manipulators, stringstream round trip, std::endl flushing.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

int main() {
  std::cout << "iostream " << 42 << ' ' << 3.5 << ' ' << std::boolalpha << true << '\n';
  std::cout << std::hex << std::showbase << 255 << std::dec << ' ' << std::setw(6) << std::setfill('*') << 17 << '\n';
  std::cout << std::fixed << std::setprecision(3) << 2.0 / 3.0 << std::endl;
  std::ostringstream os;
  os << "a=" << 1 << ",b=" << 2.25;
  std::istringstream is("10 20 thirty");
  int x = 0, y = 0;
  std::string word;
  is >> x >> y >> word;
  std::cout << os.str() << " | " << x + y << ' ' << word << '\n';
  std::cout.write("written\n", 8);
  std::cout << std::flush;
  return 0;
}
