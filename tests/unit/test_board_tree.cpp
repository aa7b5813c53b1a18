// derived_tree (tools/image/board_tree.cpp): a partition's device tree from the board's tree as an
// operating system ships it. The "shipped" tree here is written in the shape of Debian's
// vexpress-v2p-ca9.dtb: buses with two-cell chip-select addresses and `ranges` down to the
// motherboard's I/O FPGA, fixed clocks, a bus that is not memory-mapped (I2C), reserved memory,
// four CPUs and an empty /chosen.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

#include "tests/unit/system_source.hpp"
#include "tools/image/system.hpp"

using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;
using system_source::scratch;

constexpr uint32_t mib = 1u << 20;

/// The shipped tree; `root` replaces the root's compatible and cells.
std::string shipped(const std::string& root = "compatible = \"arm,vexpress,v2p-ca9\", \"arm,vexpress\";\n"
                                              "#address-cells = <1>; #size-cells = <1>;",
                    const std::string& more = "")
{
    return "/dts-v1/;\n/ {\n" + root + R"(
	model = "V2P-CA9";
	interrupt-parent = <&gic>;
	osc: clock-24mhz { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <24000000>; };
	bus@40000000 {
		compatible = "simple-bus";
		#address-cells = <1>; #size-cells = <1>;
		ranges = <0x40000000 0x40000000 0x10000000>, <0x10000000 0x10000000 0x20000>;
		motherboard-bus@40000000 {
			compatible = "simple-bus";
			#address-cells = <2>; #size-cells = <1>;
			ranges = <0 0 0x40000000 0x4000000>, <7 0 0x10000000 0x20000>;
			flash@0,0 { compatible = "cfi-flash"; reg = <0 0 0x4000000>; };
			iofpga@7,0 {
				compatible = "simple-bus";
				#address-cells = <1>; #size-cells = <1>;
				ranges = <0 7 0 0x20000>;
				sysreg@0 {
					compatible = "arm,vexpress-sysreg"; reg = <0 0x1000>;
					#address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x1000>;
					gpio@8 { reg = <0x08 0x04>; };
					gpio@48 { reg = <0x48 0x04>; };
				};
				sysctl: sysctl@1000 { compatible = "arm,sp810"; reg = <0x1000 0x1000>; clocks = <&osc>; #clock-cells = <1>; };
				i2c@2000 {
					compatible = "arm,versatile-i2c"; reg = <0x2000 0x1000>;
					#address-cells = <1>; #size-cells = <0>;
					pcie-switch@60 { reg = <0x60>; };
				};
				uart@9000 { compatible = "arm,pl011"; reg = <0x9000 0x1000>; clocks = <&osc>; };
				uart@a000 { compatible = "arm,pl011"; reg = <0xa000 0x1000>; clocks = <&osc>; };
				uart@b000 { compatible = "arm,pl011"; reg = <0xb000 0x1000>; clocks = <&osc>; };
				timer@11000 { compatible = "arm,sp804"; reg = <0x11000 0x1000>; clocks = <&sysctl 0>; };
				rtc@17000 { compatible = "arm,pl031"; reg = <0x17000 0x1000>; status = "disabled"; };
			};
		};
	};
	cpus {
		#address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a9"; reg = <0>; };
		cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a9"; reg = <1>; };
	};
	memory@60000000 { device_type = "memory"; reg = <0x60000000 0x40000000>; };
	reserved-memory {
		#address-cells = <1>; #size-cells = <1>; ranges;
		vram@4c000000 { reg = <0x4c000000 0x800000>; no-map; };
	};
	scu@1e000000 { compatible = "arm,cortex-a9-scu"; reg = <0x1e000000 0x58>; };
	pmu { compatible = "arm,cortex-a9-pmu"; interrupts = <0 60 4>; };
	timer@1e000600 { compatible = "arm,cortex-a9-twd-timer"; reg = <0x1e000600 0x20>; };
	gic: interrupt-controller@1e001000 {
		compatible = "arm,cortex-a9-gic"; interrupt-controller; #interrupt-cells = <3>;
		reg = <0x1e001000 0x1000>, <0x1e000100 0x100>;
	};
	cache-controller@1e00a000 { compatible = "arm,pl310-cache"; reg = <0x1e00a000 0x1000>; };
	chosen { };
)" + "};\n/ {\n" +
           more + "\n};\n";
}

std::vector<uint8_t> compiled(const std::string& source)
{
    std::string messages;
    std::vector<uint8_t> blob = system_source::compile(source, &messages);
    INFO("dtc: " << messages << "\n" << source);
    REQUIRE_FALSE(blob.empty());
    return blob;
}

/// A vexpress-a9 system of one partition "a" (the sample image) with `properties`.
std::vector<uint8_t> system_blob(const std::string& properties)
{
    return compiled("/dts-v1/;\n/include/ \"vexpress-a9.dtsi\"\n/ {\ncellvisor {\ncompatible = "
                    "\"cellvisor,system\";\na {\nimage = \"rewrite_sample.elf\";\n" +
                    properties + "\n};\n};\n};\n");
}

image::Paths paths() { return {scratch().string(), {fs::absolute("samples").string()}}; }

image::System loaded(const std::vector<uint8_t>& blob)
{
    image::System system;
    image::Error error;
    const bool ok = image::load(blob, paths(), system, error);
    INFO(error.node << ": " << error.reason);
    REQUIRE(ok);
    return system;
}

std::string status(const std::vector<uint8_t>& tree, const char* path)
{
    const int node = fdt_path_offset(tree.data(), path);
    INFO(path);
    REQUIRE(node >= 0);
    const char* value = static_cast<const char*>(fdt_getprop(tree.data(), node, "status", nullptr));
    return value ? value : "";
}

bool exists(const std::vector<uint8_t>& tree, const std::string& path)
{
    return fdt_path_offset(tree.data(), path.c_str()) >= 0;
}

std::vector<uint32_t> cells(const std::vector<uint8_t>& tree, const char* path, const char* property)
{
    const int node = fdt_path_offset(tree.data(), path);
    INFO(path << " " << property);
    REQUIRE(node >= 0);
    int length = 0;
    const auto* value = static_cast<const fdt32_t*>(fdt_getprop(tree.data(), node, property, &length));
    REQUIRE(value);
    std::vector<uint32_t> out(size_t(length) / 4);
    for (size_t i = 0; i < out.size(); ++i) out[i] = fdt32_to_cpu(value[i]);
    return out;
}

std::string derive_error(const std::vector<uint8_t>& os_tree)
{
    const image::System system = loaded(system_blob("device-tree;"));
    try {
        image::derived_tree(os_tree, system, 0, 0, 0);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("board tree: kept but for the window, the devices not given, the other CPUs and /chosen")
{
    const std::vector<uint8_t> os = compiled(shipped());
    // The monitor's emulated devices (GIC with the SCU and private timer page, SP804s, UART0, the
    // system registers and the SP810) and UART1 passed through; 32 MiB.
    const image::System system =
        loaded(system_blob("devices = <&uart1>; memory-size = <0x2000000>; bootargs = \"console=ttyAMA0\";"));
    const std::vector<uint8_t> tree = image::derived_tree(os, system, 0, 0x61f00000, 1234);
    REQUIRE(fdt_check_full(tree.data(), tree.size()) == 0);

    CHECK(cells(tree, "/memory@60000000", "reg") == std::vector<uint32_t>{0x60000000, 32 * mib});
    const std::string fpga = "/bus@40000000/motherboard-bus@40000000/iofpga@7,0/";
    for (const char* kept :
         {"uart@9000", "uart@a000", "timer@11000", "sysreg@0", "sysreg@0/gpio@8", "sysctl@1000"})
        CHECK(status(tree, (fpga + kept).c_str()).empty());
    for (const char* kept : {"/scu@1e000000", "/timer@1e000600", "/interrupt-controller@1e001000",
                             "/clock-24mhz", "/bus@40000000", "/cpus/cpu@0"})
        CHECK(status(tree, kept).empty());
    for (const char* gone : {"uart@b000", "i2c@2000", "i2c@2000/pcie-switch@60", "rtc@17000"}) {
        INFO(gone);
        CHECK_FALSE(exists(tree, fpga + gone));
    }
    // The performance monitor is the core's: no partition gets it, so no OS looks for it.
    for (const char* gone : {"/bus@40000000/motherboard-bus@40000000/flash@0,0", "/cache-controller@1e00a000",
                             "/pmu", "/reserved-memory/vram@4c000000"}) {
        INFO(gone);
        CHECK_FALSE(exists(tree, gone));
    }
    CHECK(exists(tree, "/reserved-memory"));
    CHECK(status(tree, "/cpus/cpu@1") == "fail");

    const int chosen = fdt_path_offset(tree.data(), "/chosen");
    REQUIRE(chosen >= 0);
    CHECK(std::string(static_cast<const char*>(fdt_getprop(tree.data(), chosen, "bootargs", nullptr))) ==
          "console=ttyAMA0");
    CHECK(cells(tree, "/chosen", "linux,initrd-start") == std::vector<uint32_t>{0x61f00000});
    CHECK(cells(tree, "/chosen", "linux,initrd-end") == std::vector<uint32_t>{0x61f00000 + 1234});
    // Clocks and phandles as shipped: the UART still names the oscillator.
    const uint32_t osc = cells(tree, (fpga + "uart@9000").c_str(), "clocks")[0];
    CHECK(fdt_node_offset_by_phandle(tree.data(), osc) == fdt_path_offset(tree.data(), "/clock-24mhz"));
    CHECK(std::string(static_cast<const char*>(fdt_getprop(tree.data(), 0, "model", nullptr))) == "V2P-CA9");
}

TEST_CASE("board tree: a device the partition is not given is removed; /chosen keeps what it had")
{
    const std::vector<uint8_t> os =
        compiled(shipped("compatible = \"arm,vexpress,v2p-ca9\"; #address-cells = <1>; #size-cells = <1>;",
                         "chosen { bootargs = \"as shipped\"; };"));
    const image::System system = loaded(system_blob("device-tree;"));
    const std::vector<uint8_t> tree = image::derived_tree(os, system, 0, 0, 0);
    REQUIRE(fdt_check_full(tree.data(), tree.size()) == 0);
    CHECK_FALSE(exists(tree, "/bus@40000000/motherboard-bus@40000000/iofpga@7,0/uart@a000"));
    CHECK(status(tree, "/bus@40000000/motherboard-bus@40000000/iofpga@7,0/uart@9000").empty());
    CHECK(cells(tree, "/memory@60000000", "reg") == std::vector<uint32_t>{0x60000000, 16 * mib});
    const int chosen = fdt_path_offset(tree.data(), "/chosen");
    CHECK(std::string(static_cast<const char*>(fdt_getprop(tree.data(), chosen, "bootargs", nullptr))) ==
          "as shipped");
    CHECK(fdt_getprop(tree.data(), chosen, "linux,initrd-start", nullptr) == nullptr);
}

TEST_CASE("board tree: one that is not the board's, not a tree, 64-bit or without one memory node is refused")
{
    CHECK_THAT(derive_error(std::vector<uint8_t>(100, 0)), Contains("not a device tree blob"));
    CHECK_THAT(derive_error(compiled(shipped("compatible = \"arm,versatile-pb\"; #address-cells = <1>; "
                                             "#size-cells = <1>;"))),
               Contains("not compatible with \"arm,vexpress,v2p-ca9\""));
    CHECK_THAT(derive_error(compiled(shipped("compatible = \"arm,vexpress,v2p-ca9\"; #address-cells = <2>; "
                                             "#size-cells = <2>;"))),
               Contains("#address-cells = <1>"));
    CHECK_THAT(derive_error(compiled(
                   shipped("compatible = \"arm,vexpress,v2p-ca9\"; #address-cells = <1>; #size-cells = <1>;",
                           "memory@80000000 { device_type = \"memory\"; reg = <0x80000000 0x1000000>; };"))),
               Contains("expected one memory node, found 2"));
    CHECK(derive_error(compiled(shipped())).empty());
}

TEST_CASE("board tree: the file must exist, and a bad one is refused at the partition with the file")
{
    image::System system;
    image::Error error;
    REQUIRE_FALSE(image::load(system_blob("board-tree = \"no-such.dtb\";"), paths(), system, error));
    CHECK(error.node == "/cellvisor/a");
    CHECK_THAT(error.reason, Contains("board-tree: no file 'no-such.dtb'"));

    system_source::write_bytes(scratch() / "not-a-tree.dtb", std::vector<uint8_t>(64, 0x55));
    pack::Result result;
    REQUIRE_FALSE(
        image::build(system_blob("board-tree = \"not-a-tree.dtb\";"), paths(), system, result, error));
    CHECK(error.node == "/cellvisor/a");
    CHECK_THAT(error.reason, Contains("board-tree: ") && Contains("not-a-tree.dtb: not a device tree blob"));
}

TEST_CASE("board tree: a node not given stays when a device below it is given")
{
    // A bus with registers of its own (a system controller) over a device the partition gets.
    const std::vector<uint8_t> os = compiled(shipped(
        "compatible = \"arm,vexpress,v2p-ca9\"; #address-cells = <1>; #size-cells = <1>;",
        "syscon@10008000 { compatible = \"simple-mfd\"; reg = <0x10008000 0x1000>; #address-cells = <1>;"
        " #size-cells = <1>; ranges; serial@10009000 { reg = <0x10009000 0x1000>; }; };"));
    const image::System system = loaded(system_blob("device-tree;"));
    const std::vector<uint8_t> tree = image::derived_tree(os, system, 0, 0, 0);
    CHECK(exists(tree, "/syscon@10008000/serial@10009000"));
}
