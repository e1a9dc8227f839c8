/*
 * mib_values.h — the value of each GREENDOT-MIB column of a model object,
 * put into a net-snmp varbind.  Shared by the table handlers (mib.c) and
 * the notifications (notify.c), so a notification carries exactly what a
 * GET would have shown at that moment.  Only net-snmp files include it.
 */
#ifndef GD_MIB_VALUES_H
#define GD_MIB_VALUES_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "model.h"

/*
 * Each sets vb's type and value for column col of the object and returns
 * SNMP_ERR_NOERROR, or SNMP_NOSUCHOBJECT for a column the table has not
 * (or that is not accessible).  now: wall time, for ages and uptimes.
 */
int mibv_area(netsnmp_variable_list *vb, const struct model *m,
	      const struct model_area *a, unsigned col);
int mibv_group(netsnmp_variable_list *vb, const struct model *m,
	       const struct model_group *g, unsigned col);
int mibv_server(netsnmp_variable_list *vb, const struct model *m,
		const struct model_server *s, unsigned col, time_t now);
int mibv_service(netsnmp_variable_list *vb, const struct model *m,
		 const struct model_service *s, unsigned col);

/* Strings cut to max octets at a UTF-8 character boundary. */
void mibv_string(netsnmp_variable_list *vb, const char *s, size_t max);
/* DateAndTime; 8 zero octets for t == 0 (not known). */
void mibv_dateandtime(netsnmp_variable_list *vb, time_t t);

#endif
