// SPDX-License-Identifier: GPL-2.0
/*
 * vswitch_dp: the vswitch kernel fast path.
 *
 * This file holds module init and exit.  The datapath itself (generic
 * netlink families, flow table, actions, vports) lives in the other files of
 * this folder, one concept each.
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init vdp_init(void)
{
	pr_info("vswitch_dp: loaded\n");
	return 0;
}

static void __exit vdp_exit(void)
{
	pr_info("vswitch_dp: unloaded\n");
}

module_init(vdp_init);
module_exit(vdp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vswitch kernel datapath");
