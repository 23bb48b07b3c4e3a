// SPDX-License-Identifier: GPL-2.0
/*
 * dp_main.c - module init and exit of vswitch_dp, the vswitch kernel fast
 * path: per-netns state, the device notifier and the generic netlink
 * families (registered under the names of <uapi/linux/openvswitch.h>, so
 * this module and openvswitch.ko exclude each other).
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "datapath.h"

DEFINE_MUTEX(vdp_mutex);
struct workqueue_struct *vdp_wq;
unsigned int vdp_net_id __read_mostly;

unsigned int vdp_upcall_rate __read_mostly;
module_param_named(upcall_rate, vdp_upcall_rate, uint, 0644);
MODULE_PARM_DESC(upcall_rate,
		 "miss upcalls per second and port (token bucket); 0 = unlimited");

unsigned int vdp_upcall_burst __read_mostly = 64;
module_param_named(upcall_burst, vdp_upcall_burst, uint, 0644);
MODULE_PARM_DESC(upcall_burst, "token bucket depth of upcall_rate");

/*
 * A device backing one of our ports is going away: delete the port.
 * Ports are created and deleted under RTNL, which the notifier holds, so
 * the lookup needs no other lock; a port we are deleting ourselves (with
 * vdp_mutex held) is already unlinked from its device and not found here.
 */
static int vdp_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vdp_vport *vport;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	vport = vdp_vport_of_dev(dev);
	if (!vport)
		return NOTIFY_DONE;
	vdp_lock();
	vdp_vport_notify_deleted(vport);
	if (vport->port_no == VDP_LOCAL_PORT)
		vdp_dp_destroy(vport->dp);
	else
		vdp_vport_del(vport);
	vdp_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block vdp_netdev_notifier = {
	.notifier_call = vdp_netdev_event,
};

static int __net_init vdp_net_init(struct net *net)
{
	struct vdp_net *vn = net_generic(net, vdp_net_id);

	INIT_LIST_HEAD(&vn->dps);
	return 0;
}

static void __net_exit vdp_net_exit(struct net *net)
{
	struct vdp_net *vn = net_generic(net, vdp_net_id);
	struct vdp_datapath *dp, *next;

	rtnl_lock();
	vdp_lock();
	list_for_each_entry_safe(dp, next, &vn->dps, node)
		vdp_dp_destroy(dp);
	vdp_unlock();
	rtnl_unlock();
}

static struct pernet_operations vdp_net_ops = {
	.init = vdp_net_init,
	.exit = vdp_net_exit,
	.id = &vdp_net_id,
	.size = sizeof(struct vdp_net),
};

static struct genl_family *const vdp_families[] = {
	&vdp_dp_family,
	&vdp_vport_family,
	&vdp_flow_family,
	&vdp_packet_family,
	&vdp_meter_family,	/* placeholders: see genl_placeholders.c */
	&vdp_ct_limit_family,
};

static void vdp_unregister_families(int n)
{
	while (n-- > 0)
		genl_unregister_family(vdp_families[n]);
}

static int vdp_register_families(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(vdp_families); i++) {
		err = genl_register_family(vdp_families[i]);
		if (err) {
			if (err == -EEXIST)
				pr_err("vswitch_dp: generic netlink family %s is already registered (is openvswitch.ko loaded?)\n",
				       vdp_families[i]->name);
			else
				pr_err("vswitch_dp: cannot register family %s: %d\n",
				       vdp_families[i]->name, err);
			vdp_unregister_families(i);
			return err;
		}
	}
	return 0;
}

static int __init vdp_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct vdp_key) % sizeof(u32));
	vdp_wq = alloc_workqueue("vswitch_dp", 0, 0);
	if (!vdp_wq)
		return -ENOMEM;
	err = register_pernet_device(&vdp_net_ops);
	if (err)
		goto err_wq;
	err = register_netdevice_notifier(&vdp_netdev_notifier);
	if (err)
		goto err_pernet;
	err = vdp_register_families();
	if (err)
		goto err_notifier;
	vdp_reorder_start();
	pr_info("vswitch_dp: loaded\n");
	return 0;

err_notifier:
	unregister_netdevice_notifier(&vdp_netdev_notifier);
err_pernet:
	unregister_pernet_device(&vdp_net_ops);
err_wq:
	destroy_workqueue(vdp_wq);
	return err;
}

static void __exit vdp_exit(void)
{
	vdp_unregister_families(ARRAY_SIZE(vdp_families));
	unregister_netdevice_notifier(&vdp_netdev_notifier);
	unregister_pernet_device(&vdp_net_ops);
	vdp_reorder_stop();
	rcu_barrier();
	destroy_workqueue(vdp_wq);
	rcu_barrier();
	pr_info("vswitch_dp: unloaded\n");
}

module_init(vdp_init);
module_exit(vdp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vswitch kernel datapath");
