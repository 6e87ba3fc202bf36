// Defines the one libstdc++ symbol of GLIBCXX_3.4.32 that libLibTorchSharp.so uses, for systems whose
// libstdc++ stops at 3.4.30/31 (Debian 12, Ubuntu 22.04). GCC 13 emits a call to it from every translation
// unit that includes <iostream>; all it must do is make sure the standard streams are initialised.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
