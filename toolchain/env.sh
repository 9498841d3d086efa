# Source this to use ape, anvil and the compilers by hand, as the Makefile does:
#   source toolchain/env.sh && ape test tests/contracts
_fk_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SOLCX_BINARY_PATH="$_fk_root/toolchain/bin"
export VVM_BINARY_PATH="$_fk_root/toolchain/bin"
export PATH="$_fk_root/.venv/bin:$_fk_root/toolchain/bin:$PATH"
unset _fk_root
