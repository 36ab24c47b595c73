"""python-for-android recipe for zxing-cpp's Python module (``import zxingcpp``).

There are no Android wheels of zxing-cpp and no recipe in python-for-android, so this builds
the module from zxing-cpp's own source with CMake and the NDK's toolchain, as the OpenCV recipe
does: the reader and writer library (C++20) and the nanobind module linked against the target
Python. Only the module's target is built: nanobind's type-stub step would run the Android
module on the build machine, which cannot work. The module is installed as
``zxingcpp/zxingcpp.so`` (a plain ``.so``, which every Python accepts) beside zxing-cpp's
``__init__.py``.

Needs ``cmake`` (3.18 or later) and ``git`` on the build machine: CMake fetches nanobind at
the tag zxing-cpp names. Not yet built here (this workplace cannot run the Android SDK):
docs/mobile-app.md lists it among what must be checked on the first real build.
"""

from __future__ import annotations

import glob
import shutil
from multiprocessing import cpu_count
from os.path import basename, join

import sh
from pythonforandroid.logger import info, shprint
from pythonforandroid.recipe import Recipe
from pythonforandroid.util import current_directory, ensure_dir


class ZxingCppRecipe(Recipe):
    version = "3.1.1"
    url = "https://github.com/zxing-cpp/zxing-cpp/archive/refs/tags/v{version}.tar.gz"
    depends = ["python3"]
    # zxing-cpp is C++: the app must ship the NDK's shared C++ runtime.
    need_stl_shared = True

    def python_source(self, arch) -> str:
        return join(self.get_build_dir(arch.arch), "wrappers", "python")

    def build_arch(self, arch) -> None:
        env = self.get_recipe_env(arch)
        python = self.ctx.python_recipe
        link_root = python.link_root(arch.arch)
        build_dir = join(self.get_build_dir(arch.arch), "p4a-build")
        ensure_dir(build_dir)
        with current_directory(build_dir):
            shprint(
                sh.cmake,
                self.python_source(arch),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DCMAKE_TOOLCHAIN_FILE={}".format(
                    join(self.ctx.ndk_dir, "build", "cmake", "android.toolchain.cmake")
                ),
                f"-DANDROID_ABI={arch.arch}",
                f"-DANDROID_PLATFORM=android-{self.ctx.ndk_api}",
                f"-DANDROID_STL={self.stl_lib_name}",
                # The target Python's headers and library; the build machine's hostpython (the
                # same version) stands in for the interpreter CMake asks about.
                f"-DPython_EXECUTABLE={self.ctx.hostpython}",
                f"-DPython_INCLUDE_DIR={python.include_root(arch.arch)}",
                "-DPython_LIBRARY={}".format(join(link_root, f"libpython{python.link_version}.so")),
                # Android refuses to load a module whose libpython symbols are not linked in.
                f"-DCMAKE_SHARED_LINKER_FLAGS=-L{link_root} -lpython{python.link_version}",
                "-DZXING_DEPENDENCIES=GITHUB",
                "-DBUILD_SHARED_LIBS=OFF",
                _env=env,
            )
            shprint(
                sh.cmake,
                "--build",
                ".",
                "--target",
                "zxingcpp",
                "--parallel",
                str(cpu_count()),
                _env=env,
            )
            built = glob.glob(join(build_dir, "zxingcpp*.so"))
            if len(built) != 1:
                raise RuntimeError(f"Expected one zxingcpp module in {build_dir}, found {built}")

        package = join(self.ctx.get_site_packages_dir(arch), "zxingcpp")
        ensure_dir(package)
        shutil.copyfile(built[0], join(package, "zxingcpp.so"))
        shutil.copyfile(join(self.python_source(arch), "init.py"), join(package, "__init__.py"))
        info(f"zxing-cpp: installed {basename(built[0])} as zxingcpp/zxingcpp.so")


recipe = ZxingCppRecipe()
